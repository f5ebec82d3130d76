package dev.nightshift.experiments.spec;

/**
 * A real-valued parameter in {@code [min, max]}, sampled on a log scale when {@code log} is set.
 *
 * @param min lower bound, finite; more than 0 on a log scale
 * @param max upper bound, finite and more than {@code min}
 * @param log whether the values are spread on a log scale (learning rates, weight decay)
 * @param defaultValue the value of a baseline run, inside the bounds
 */
public record FloatParameter(double min, double max, boolean log, double defaultValue) implements ParameterSpec {

	public FloatParameter {
		if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
			throw new IllegalArgumentException("need finite min < max, got " + min + ", " + max);
		}
		if (log && min <= 0) {
			throw new IllegalArgumentException("a log scale needs min > 0, got " + min);
		}
		if (!(defaultValue >= min && defaultValue <= max)) {
			throw new IllegalArgumentException("default " + defaultValue + " is outside [" + min + ", " + max + "]");
		}
	}

	/** A parameter whose default is the middle of the range: the geometric middle on a log scale. */
	public static FloatParameter withMidpointDefault(double min, double max, boolean log) {
		return new FloatParameter(min, max, log, midpoint(min, max, log));
	}

	/** The middle of the range, computed so it cannot overflow and clamped against rounding. */
	static double midpoint(double min, double max, boolean log) {
		double middle = log ? Math.sqrt(min) * Math.sqrt(max) : min / 2 + max / 2;
		return Math.min(max, Math.max(min, middle));
	}

	@Override
	public String type() {
		return "float";
	}

	@Override
	public Object defaultObject() {
		return defaultValue;
	}
}
