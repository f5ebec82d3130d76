package dev.nightshift.experiments.verdict;

import java.util.List;

import dev.nightshift.experiments.run.Verdict;
import dev.nightshift.experiments.spec.Goal;

/**
 * The keep-or-discard rule, a pure function of the numbers.
 *
 * <p>The noise of one run, σ, is the pooled standard deviation of the replicate groups (the baseline's
 * replicates, and every candidate confirmed by replicates), with {@code df} degrees of freedom. Comparing a
 * candidate's mean of {@code n} runs with the best's mean of {@code m} runs, the standard error of the
 * difference is {@code SE = σ·√(1/n + 1/m)}, and the margin is a Student-t multiple of it, so that an estimate
 * of σ from two baseline runs (one degree of freedom, wildly uncertain) asks for far more than one from twenty.
 * <ul>
 * <li>A single run better than the best by more than {@code max(min_delta, t(df, 0.1 %)·SE)} is beyond
 * plausible noise: KEEP at once.</li>
 * <li>A single run better by less is promising but within noise: CONFIRMING, and a replicate runs.</li>
 * <li>After replicates the replicates decide, without the run that called for them: that one was picked for
 * looking good, so counting it would favour luck. KEEP when their mean beats the best by more than
 * {@code max(min_delta, t(df, 0.1 %)·SE)} and each of them beats the best's mean; else DISCARD.</li>
 * <li>Not better: DISCARD.</li>
 * </ul>
 * SPEC section 4 names a margin of {@code max(min_delta, 2σ)}. With σ measured on two runs that lets about one
 * pure-noise candidate in ten win; this rule lets fewer than one in two hundred (VerdictRuleTest simulates
 * 100,000 such comparisons). Without any estimate of σ every win is confirmed.
 */
public final class VerdictRule {

	/** One-sided Student-t quantiles at 0.1 % (column 1) and 0.5 % (column 2), by degrees of freedom (last row: df → ∞). */
	private static final double[][] T_TABLE = {
			{ 1, 318.31, 63.66 }, { 2, 22.33, 9.92 }, { 3, 10.21, 5.84 }, { 4, 7.17, 4.60 }, { 5, 5.89, 4.03 },
			{ 6, 5.21, 3.71 }, { 7, 4.79, 3.50 }, { 8, 4.50, 3.36 }, { 9, 4.30, 3.25 }, { 10, 4.14, 3.17 },
			{ 12, 3.93, 3.05 }, { 15, 3.73, 2.95 }, { 20, 3.55, 2.85 }, { 30, 3.39, 2.75 }, { 60, 3.23, 2.66 },
			{ Double.POSITIVE_INFINITY, 3.09, 2.58 } };

	private VerdictRule() {
	}

	/**
	 * The noise of one run.
	 *
	 * @param sigma              pooled standard deviation
	 * @param degreesOfFreedom   how many independent deviations it rests on
	 */
	public record Noise(double sigma, int degreesOfFreedom) {
	}

	/**
	 * The verdict and why.
	 *
	 * @param improvement how much better than the best's mean the candidate's mean is (positive is better)
	 * @param margin      what it had to beat
	 */
	public record Decision(Verdict verdict, double improvement, double margin, String reason) {
	}

	/**
	 * The first look at a candidate's single run.
	 *
	 * @param best  the objective values of the best's group (the best run and its replicates, or the baseline's
	 *              replicates)
	 * @param value the candidate's objective
	 * @param noise the noise of one run, or null when not measured yet
	 */
	public static Decision judge(Goal goal, double minDelta, List<Double> best, double value, Noise noise) {
		double improvement = improvement(goal, mean(best), value);
		if (noise != null) {
			double margin = Math.max(minDelta, quantile(noise.degreesOfFreedom(), 1) * standardError(noise, 1, best.size()));
			if (improvement > margin) {
				return new Decision(Verdict.KEEP, improvement, margin,
						"better by %s, beyond the noise (margin %s)".formatted(round(improvement), round(margin)));
			}
		}
		if (improvement > minDelta) {
			return new Decision(Verdict.CONFIRMING, improvement, minDelta, (noise == null
					? "better by %s, but the noise is not measured yet: a replicate decides"
					: "better by %s, within the noise: a replicate decides").formatted(round(improvement)));
		}
		return new Decision(Verdict.DISCARD, improvement, minDelta, "not better than the best (%s)".formatted(round(improvement)));
	}

	/**
	 * The verdict on a CONFIRMING candidate once its replicates have run.
	 *
	 * @param replicates the objective values of the replicates only
	 */
	public static Decision confirm(Goal goal, double minDelta, List<Double> best, List<Double> replicates, Noise noise) {
		double bestMean = mean(best);
		double improvement = improvement(goal, bestMean, mean(replicates));
		double margin = Math.max(minDelta,
				noise == null ? 0 : quantile(noise.degreesOfFreedom(), 1) * standardError(noise, replicates.size(), best.size()));
		boolean eachBetter = replicates.stream().allMatch(value -> improvement(goal, bestMean, value) > 0);
		if (improvement > margin && eachBetter) {
			return new Decision(Verdict.KEEP, improvement, margin, "confirmed: %d replicate(s) better by %s, beyond %s"
				.formatted(replicates.size(), round(improvement), round(margin)));
		}
		return new Decision(Verdict.DISCARD, improvement, margin, "not confirmed: %d replicate(s) better by only %s (margin %s)"
			.formatted(replicates.size(), round(improvement), round(margin)));
	}

	/**
	 * The margin one run must clear against a group of {@code bestRuns} runs, as {@link #judge} asks of it:
	 * {@code max(minDelta, t(df, 0.1 %)·σ·√(1 + 1/m))}; {@code minDelta} while the noise is not measured.
	 */
	public static double margin(double minDelta, Noise noise, int bestRuns) {
		return noise == null ? minDelta
				: Math.max(minDelta, quantile(noise.degreesOfFreedom(), 1) * standardError(noise, 1, bestRuns));
	}

	/** How much better {@code candidate} is than {@code best} for the goal: positive is better, negative worse. */
	public static double improvement(Goal goal, double best, double candidate) {
		return goal == Goal.MINIMIZE ? best - candidate : candidate - best;
	}

	private static double standardError(Noise noise, int candidateRuns, int bestRuns) {
		return noise.sigma() * Math.sqrt(1.0 / candidateRuns + 1.0 / bestRuns);
	}

	/** The pooled noise of groups of repeated runs; null without a group of two or more. */
	public static Noise pooledNoise(List<List<Double>> groups) {
		double squares = 0;
		int degrees = 0;
		for (List<Double> group : groups) {
			if (group.size() < 2) {
				continue;
			}
			double mean = mean(group);
			for (double value : group) {
				squares += (value - mean) * (value - mean);
			}
			degrees += group.size() - 1;
		}
		return degrees == 0 ? null : new Noise(Math.sqrt(squares / degrees), degrees);
	}

	/** The Student-t quantile of column 1 (0.1 %) or 2 (0.5 %), interpolated between rows of the table. */
	static double quantile(int degreesOfFreedom, int column) {
		for (int row = 1; row < T_TABLE.length; row++) {
			if (degreesOfFreedom <= T_TABLE[row][0]) {
				double[] low = T_TABLE[row - 1];
				double[] high = T_TABLE[row];
				if (degreesOfFreedom <= low[0]) {
					return low[column];
				}
				if (Double.isInfinite(high[0])) {
					return high[column];
				}
				double share = (degreesOfFreedom - low[0]) / (high[0] - low[0]);
				return low[column] + share * (high[column] - low[column]);
			}
		}
		return T_TABLE[T_TABLE.length - 1][column];
	}

	static double mean(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
	}

	private static String round(double value) {
		return String.format(java.util.Locale.ROOT, "%.4g", value);
	}
}
