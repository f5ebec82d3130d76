package dev.nightshift.experiments.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A parameter that takes one of a list of values. Values are kept as text, the way a run sees them in its
 * environment, even where the YAML wrote them as numbers or booleans.
 *
 * @param values the choices, not empty, no duplicates, in the spec's order
 * @param defaultValue the value of a baseline run, one of {@code values}
 */
public record ChoiceParameter(List<String> values, String defaultValue) implements ParameterSpec {

	public ChoiceParameter {
		values = List.copyOf(values);
		Objects.requireNonNull(defaultValue, "defaultValue");
		if (values.isEmpty()) {
			throw new IllegalArgumentException("a choice needs at least one value");
		}
		if (new HashSet<>(values).size() != values.size()) {
			throw new IllegalArgumentException("choice values must be unique, got " + values);
		}
		if (!values.contains(defaultValue)) {
			throw new IllegalArgumentException("default " + defaultValue + " is not one of " + values);
		}
	}

	/** A parameter whose default is its first value. */
	public static ChoiceParameter withFirstAsDefault(List<String> values) {
		if (values.isEmpty()) {
			throw new IllegalArgumentException("a choice needs at least one value");
		}
		return new ChoiceParameter(values, values.get(0));
	}

	@Override
	public String type() {
		return "choice";
	}

	@Override
	public Object defaultObject() {
		return defaultValue;
	}
}
