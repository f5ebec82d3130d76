package dev.nightshift.experiments.proposal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.Violation;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ParameterSpec;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.IntParameter;

/**
 * Checks proposed parameter values against an experiment's search space: every name known, every value of
 * the parameter's type and inside its range. Values come back normalised (int as {@code Long}, float as
 * {@code Double}, choice as {@code String}), so equal proposals compare equal.
 */
public final class ParameterCheck {

	private ParameterCheck() {
	}

	/**
	 * @return the normalised values, in the order given
	 * @throws InvalidRequestException listing every value that breaks a rule
	 */
	public static Map<String, Object> normalise(ExperimentSpec spec, Map<String, Object> values) {
		List<Violation> violations = new ArrayList<>();
		Map<String, Object> normalised = new LinkedHashMap<>();
		values.forEach((name, value) -> {
			String field = "params." + name;
			ParameterSpec parameter = spec.parameters().get(name);
			if (parameter == null) {
				violations.add(new Violation(field, "unknown-parameter",
						"'" + name + "' is not a parameter of this experiment; known: " + spec.parameters().keySet()));
				return;
			}
			try {
				normalised.put(name, check(parameter, value));
			}
			catch (IllegalArgumentException ex) {
				violations.add(new Violation(field, ex instanceof OutOfRange ? "out-of-range" : "type", ex.getMessage()));
			}
		});
		if (!violations.isEmpty()) {
			throw new InvalidRequestException(violations);
		}
		return normalised;
	}

	private static Object check(ParameterSpec parameter, Object value) {
		if (parameter instanceof FloatParameter p) {
			double v = number(value, "a number").doubleValue();
			if (!Double.isFinite(v) || v < p.min() || v > p.max()) {
				throw new OutOfRange(v + " is outside [" + p.min() + ", " + p.max() + "]");
			}
			return v;
		}
		if (parameter instanceof IntParameter p) {
			BigDecimal n = number(value, "an integer");
			if (n.stripTrailingZeros().scale() > 0) {
				throw new IllegalArgumentException(value + " is not an integer");
			}
			long v = n.longValue();
			if (v < p.min() || v > p.max()) {
				throw new OutOfRange(v + " is outside [" + p.min() + ", " + p.max() + "]");
			}
			return v;
		}
		ChoiceParameter p = (ChoiceParameter) parameter;
		String v = String.valueOf(value);
		if (!p.values().contains(v)) {
			throw new OutOfRange("'" + v + "' is not one of " + p.values());
		}
		return v;
	}

	private static BigDecimal number(Object value, String expected) {
		if (value instanceof Number n) {
			return new BigDecimal(n.toString());
		}
		if (value instanceof String s) {
			try {
				return new BigDecimal(s.strip());
			}
			catch (NumberFormatException ignored) {
				// reported below
			}
		}
		throw new IllegalArgumentException("expected " + expected + ", got " + (value == null ? "null" : "'" + value + "'"));
	}

	private static final class OutOfRange extends IllegalArgumentException {

		OutOfRange(String message) {
			super(message);
		}
	}
}
