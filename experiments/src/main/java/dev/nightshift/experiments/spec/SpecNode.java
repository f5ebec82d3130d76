package dev.nightshift.experiments.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One object of a specification tree being read, with its dotted path. Its readers record a violation and return
 * null instead of throwing, so one pass over a spec finds every problem. A YAML or JSON {@code null} counts as absent.
 */
final class SpecNode {

	private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

	private final JsonNode object;
	private final String path;
	private final List<SpecViolation> violations;

	SpecNode(JsonNode object, String path, List<SpecViolation> violations) {
		this.object = object;
		this.path = path;
		this.violations = violations;
	}

	String path() {
		return path;
	}

	/** The dotted path of a key of this object. */
	String pathOf(String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	List<SpecViolation> violations() {
		return violations;
	}

	void violation(String field, String rule, String message) {
		violations.add(new SpecViolation(field, rule, message));
	}

	/** Records an {@code unknown-key} violation for each key not in {@code allowed}, listing the allowed ones. */
	void rejectUnknownKeys(List<String> allowed) {
		for (String key : object.propertyNames()) {
			if (!allowed.contains(key)) {
				violation(pathOf(key), "unknown-key",
						"unknown key '" + key + "'; allowed keys: " + String.join(", ", allowed));
			}
		}
	}

	/** The value under {@code key}, or null when missing or null ({@code ~}); records {@code required} if needed. */
	JsonNode value(String key, boolean required) {
		JsonNode value = object.get(key);
		// Jackson's YAML parser keeps a bare ~ as text, though YAML means null by it.
		if (value == null || value.isNull() || value.isString() && value.stringValue().equals("~")) {
			if (required) {
				violation(pathOf(key), "required", "is required");
			}
			return null;
		}
		return value;
	}

	/** A nested object, or null when it is absent or not an object. */
	SpecNode object(String key, boolean required) {
		JsonNode value = value(key, required);
		if (value == null) {
			return null;
		}
		if (!value.isObject()) {
			violation(pathOf(key), "type", "must be an object (a mapping of keys), got " + describe(value));
			return null;
		}
		return new SpecNode(value, pathOf(key), violations);
	}

	/** A text value; numbers and booleans are taken as their text, since YAML reads {@code name: 2024} as a number. */
	String text(String key, boolean required) {
		JsonNode value = value(key, required);
		return value == null ? null : text(value, pathOf(key));
	}

	String text(JsonNode value, String field) {
		if (value.isString() || value.isNumber() || value.isBoolean()) {
			String text = value.asString();
			if (text.indexOf('\0') >= 0) {
				// PostgreSQL cannot store it, and no command, path or brief needs it.
				violation(field, "no-nul", "must not contain a NUL character (\\u0000)");
				return null;
			}
			return text;
		}
		violation(field, "type", "must be text, got " + describe(value));
		return null;
	}

	/** A text value that must not be blank. */
	String nonBlankText(String key, boolean required) {
		String text = text(key, required);
		if (text != null && text.isBlank()) {
			violation(pathOf(key), "not-empty", "must not be empty");
			return null;
		}
		return text;
	}

	/** A finite number; text such as {@code "1.0e-4"} is read as a number, since quoting it is an easy slip. */
	Double number(String key, boolean required) {
		JsonNode value = value(key, required);
		if (value == null) {
			return null;
		}
		Double number = null;
		if (value.isNumber()) {
			number = value.doubleValue();
		} else if (value.isString()) {
			number = parseDouble(value.stringValue().trim());
		}
		if (number == null || !Double.isFinite(number)) {
			violation(pathOf(key), "type", "must be a finite number, got " + describe(value));
			return null;
		}
		return number;
	}

	/** A whole number that fits a long; {@code 8.0}, {@code 1e3} and {@code "16"} are accepted, {@code 8.5} is not. */
	Long whole(String key, boolean required) {
		Double asDouble = number(key, required);
		if (asDouble == null) {
			return null;
		}
		JsonNode value = object.get(key);
		if (value.isIntegralNumber() && value.canConvertToLong()) {
			return value.longValue(); // exact, where going through the double would round past 2^53
		}
		if (asDouble == Math.rint(asDouble) && Math.abs(asDouble) < 0x1p63) {
			return asDouble.longValue();
		}
		violation(pathOf(key), "type", "must be a whole number, got " + describe(value));
		return null;
	}

	/** A boolean; the text {@code true} or {@code false} in any case is accepted too. */
	Boolean flag(String key) {
		JsonNode value = value(key, false);
		if (value == null) {
			return null;
		}
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		if (value.isString() && (value.stringValue().equalsIgnoreCase("true")
				|| value.stringValue().equalsIgnoreCase("false"))) {
			return Boolean.parseBoolean(value.stringValue());
		}
		violation(pathOf(key), "type", "must be true or false, got " + describe(value));
		return null;
	}

	/**
	 * The elements of a list of text values, each checked to be non-blank and then handed to {@code check} with its
	 * path, so violations come out in list order; a single value counts as a one-element list. Null when the key is
	 * absent or not a list; an element that fails is null, so the others keep their index.
	 */
	List<String> textList(String key, boolean required, BiConsumer<String, String> check) {
		JsonNode value = value(key, required);
		if (value == null) {
			return null;
		}
		List<JsonNode> elements = new ArrayList<>();
		if (value.isArray()) {
			value.forEach(elements::add);
		} else if (value.isValueNode()) {
			elements.add(value);
		} else {
			violation(pathOf(key), "type", "must be a list, got " + describe(value));
			return null;
		}
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < elements.size(); i++) {
			String field = pathOf(key) + "[" + i + "]";
			String text = text(elements.get(i), field);
			if (text != null && text.isBlank()) {
				violation(field, "not-empty", "must not be empty");
				text = null;
			}
			if (text != null) {
				check.accept(field, text);
			}
			texts.add(text);
		}
		return texts;
	}

	private static Double parseDouble(String text) {
		// Double.valueOf alone would also take "NaN", "0x1p3" and "1.5f", which no one means in a spec.
		return DECIMAL.matcher(text).matches() ? Double.valueOf(text) : null;
	}

	/** How a value looks, for messages: its kind and, for scalars, the value itself. */
	static String describe(JsonNode value) {
		if (value.isNull() || value.isMissingNode() || value.isString() && value.stringValue().equals("~")) {
			return "nothing";
		}
		if (value.isObject()) {
			return "an object";
		}
		if (value.isArray()) {
			return "a list";
		}
		if (value.isString()) {
			return "the text \"" + value.stringValue() + "\"";
		}
		if (value.isBoolean()) {
			return "the boolean " + value.booleanValue();
		}
		if (value.isNumber()) {
			return "the number " + value.asString();
		}
		return value.getNodeType().toString().toLowerCase(Locale.ROOT);
	}
}
