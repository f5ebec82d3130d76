package dev.nightshift.web.mcp;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.nightshift.experiments.shared.InvalidRequestException;

/**
 * A tool call's arguments, read with the API's errors: a missing or mistyped argument is an
 * {@link InvalidRequestException} naming it and the rule, never an exception of the JSON library.
 */
final class Arguments {

	private final Map<String, Object> values;

	Arguments(Map<String, Object> values) {
		this.values = values == null ? Map.of() : values;
	}

	long id(String name) {
		Long id = optionalId(name);
		if (id == null) {
			throw new InvalidRequestException(name, "required", name + " is required");
		}
		return id;
	}

	Long optionalId(String name) {
		Object value = values.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Number number && number.doubleValue() == number.longValue() && number.longValue() > 0) {
			return number.longValue();
		}
		if (value instanceof String text && text.strip().matches("[1-9][0-9]{0,17}")) {
			return Long.parseLong(text.strip());
		}
		throw new InvalidRequestException(name, "type", name + " must be a positive whole number, got " + value);
	}

	/** A number within [{@code min}, {@code max}], or {@code fallback} when absent. */
	int number(String name, int fallback, int min, int max) {
		Object value = values.get(name);
		if (value == null) {
			return fallback;
		}
		if (!(value instanceof Number number) || number.doubleValue() != number.intValue()
				|| number.intValue() < min || number.intValue() > max) {
			throw new InvalidRequestException(name, "out-of-range",
					name + " must be a whole number between " + min + " and " + max + ", got " + value);
		}
		return number.intValue();
	}

	String text(String name) {
		Object value = values.get(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof String text)) {
			throw new InvalidRequestException(name, "type", name + " must be a string");
		}
		return text;
	}

	String requiredText(String name) {
		String text = text(name);
		if (text == null || text.isBlank()) {
			throw new InvalidRequestException(name, "required", name + " is required");
		}
		return text;
	}

	Map<String, Object> object(String name) {
		Object value = values.get(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new InvalidRequestException(name, "type", name + " must be an object of name → value");
		}
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, entry) -> copy.put(String.valueOf(key), entry));
		return copy;
	}
}
