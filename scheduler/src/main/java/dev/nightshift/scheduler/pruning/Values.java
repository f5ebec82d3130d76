package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.spec.Goal;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/** Small helpers the rules share: order statistics and numbers as a reason prints them. */
final class Values {

	private Values() {}

	/** A value with four significant digits and no trailing zeros: {@code 2.41}, {@code 0.001235}. */
	static String format(double value) {
		if (!Double.isFinite(value)) {
			return Double.toString(value);
		}
		return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
	}

	/** Whether {@code value} is strictly worse than {@code reference} for {@code goal}. */
	static boolean worse(double value, double reference, Goal goal) {
		return goal == Goal.MINIMIZE ? value > reference : value < reference;
	}

	/**
	 * The value below which a fraction {@code q} of {@code values} lie, interpolated linearly between the two closest
	 * ranks as numpy's default percentile does. {@code values} is sorted in place and must not be empty.
	 */
	static double quantile(double[] values, double q) {
		Arrays.sort(values);
		double rank = q * (values.length - 1);
		int below = (int) Math.floor(rank);
		int above = Math.min(below + 1, values.length - 1);
		return values[below] + (rank - below) * (values[above] - values[below]);
	}
}
