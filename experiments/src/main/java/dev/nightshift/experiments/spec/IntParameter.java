package dev.nightshift.experiments.spec;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An integer parameter in {@code [min, max]}, sampled on a log scale when {@code log} is set.
 *
 * @param min lower bound; more than 0 on a log scale
 * @param max upper bound, more than {@code min}
 * @param log whether the values are spread on a log scale (layer widths, batch sizes)
 * @param defaultValue the value of a baseline run, inside the bounds
 */
public record IntParameter(long min, long max, boolean log, long defaultValue) implements ParameterSpec {

	public IntParameter {
		if (min >= max) {
			throw new IllegalArgumentException("need min < max, got " + min + ", " + max);
		}
		if (log && min <= 0) {
			throw new IllegalArgumentException("a log scale needs min > 0, got " + min);
		}
		if (defaultValue < min || defaultValue > max) {
			throw new IllegalArgumentException("default " + defaultValue + " is outside [" + min + ", " + max + "]");
		}
	}

	/** A parameter whose default is the middle of the range, rounded: the geometric middle on a log scale. */
	public static IntParameter withMidpointDefault(long min, long max, boolean log) {
		return new IntParameter(min, max, log, midpoint(min, max, log));
	}

	/** The rounded middle of the range; the linear case goes through BigDecimal because min + max may overflow. */
	static long midpoint(long min, long max, boolean log) {
		long middle = log
				? Math.round(Math.sqrt(min) * Math.sqrt(max))
				: BigDecimal.valueOf(min).add(BigDecimal.valueOf(max))
						.divide(BigDecimal.valueOf(2), 0, RoundingMode.HALF_UP)
						.longValueExact();
		return Math.min(max, Math.max(min, middle));
	}

	@Override
	public String type() {
		return "int";
	}

	@Override
	public Object defaultObject() {
		return defaultValue;
	}
}
