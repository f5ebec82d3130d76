package dev.nightshift.experiments.spec;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How an experiment stops hopeless runs early (issue 15): the spec's optional {@code pruning} block. Without it
 * nothing is pruned.
 *
 * @param rule the median stopping rule or ASHA
 * @param metric the metric whose curve is judged; the objective's when the spec names none
 * @param goal which direction of that metric is better; the objective's when the spec names none
 * @param warmup how far a run must have come before it may be pruned
 * @param minRuns runs that must have reached a point before anything is pruned there, 1 to {@link #MAX_MIN_RUNS}
 * @param reductionFactor ASHA's η, 2 to {@link #MAX_REDUCTION_FACTOR}: the top 1/η at a rung go on
 * @param rungs ASHA's rungs as ascending fractions of the budget, each above 0 and below 1; empty for the median rule
 */
public record Pruning(Rule rule, String metric, Goal goal, Warmup warmup, int minRuns, int reductionFactor,
		List<Double> rungs) {

	/** Optuna's {@code MedianPruner} waits for five finished trials; so does the median rule of a spec that says nothing. */
	public static final int DEFAULT_MIN_RUNS = 5;

	/**
	 * The warmup of a spec that names none: nothing is pruned in the first tenth of a run (a tenth of the steps the
	 * finished runs reached when the program reports {@code step}, a tenth of the budget otherwise). Every curve
	 * starts badly and noisily, and a good but slow start is the run pruning most often wrongly stops.
	 */
	public static final double DEFAULT_WARMUP_FRACTION = 0.1;

	/** η = 3, the value of the Hyperband paper. */
	public static final int DEFAULT_REDUCTION_FACTOR = 3;

	public static final int MAX_MIN_RUNS = 1_000;
	public static final int MAX_REDUCTION_FACTOR = 10;
	public static final int MAX_RUNGS = 10;

	public Pruning {
		Objects.requireNonNull(rule, "rule");
		Objects.requireNonNull(metric, "metric");
		Objects.requireNonNull(goal, "goal");
		Objects.requireNonNull(warmup, "warmup");
		rungs = List.copyOf(rungs);
		if (minRuns < 1 || minRuns > MAX_MIN_RUNS) {
			throw new IllegalArgumentException("minRuns must be 1 to " + MAX_MIN_RUNS + ", got " + minRuns);
		}
		if (reductionFactor < 2 || reductionFactor > MAX_REDUCTION_FACTOR) {
			throw new IllegalArgumentException(
					"reductionFactor must be 2 to " + MAX_REDUCTION_FACTOR + ", got " + reductionFactor);
		}
		if (rule == Rule.ASHA && rungs.isEmpty() || rungs.size() > MAX_RUNGS) {
			throw new IllegalArgumentException("ASHA needs 1 to " + MAX_RUNGS + " rungs, got " + rungs);
		}
	}

	/**
	 * ASHA's {@code min_runs} when a spec names none: η − 1 other runs, so that a rung holds η runs, the fewest
	 * whose top 1/η is a whole run (Optuna's successive halving and Ray Tune's ASHA judge from the first other).
	 */
	public static int defaultAshaMinRuns(int reductionFactor) {
		return Math.max(1, reductionFactor - 1);
	}

	/**
	 * The rungs ASHA uses when a spec names none: the first at the default warmup (a tenth of the run), then η times
	 * further each, while below the whole run: 0.1, 0.3 and 0.9 for η = 3. Optuna's successive halving and Ray
	 * Tune's ASHA place theirs in the same way, from a smallest resource upwards by powers of η.
	 */
	public static List<Double> defaultRungs(int reductionFactor) {
		List<Double> rungs = new java.util.ArrayList<>();
		for (int k = 0; k < MAX_RUNGS; k++) {
			// Rounded so that 0.1 · 3 is 0.3, not 0.30000000000000004, in a spec and a reason.
			double rung = Math.round(DEFAULT_WARMUP_FRACTION * Math.pow(reductionFactor, k) * 1e9) / 1e9;
			if (rung >= 1) {
				break;
			}
			rungs.add(rung);
		}
		return List.copyOf(rungs);
	}

	/** The block a spec gets from {@code pruning: {rule: <rule>}} alone, on the given metric. */
	public static Pruning defaults(Rule rule, String metric, Goal goal) {
		int eta = DEFAULT_REDUCTION_FACTOR;
		return new Pruning(rule, metric, goal, Warmup.DEFAULT, rule == Rule.ASHA ? defaultAshaMinRuns(eta) : DEFAULT_MIN_RUNS,
				eta, rule == Rule.ASHA ? defaultRungs(eta) : List.of());
	}

	/** The rungs ASHA uses when a spec gives a count {@code n}: 1/ηⁿ, ..., 1/η² and 1/η of the budget. */
	public static List<Double> powerRungs(int reductionFactor, int count) {
		Double[] rungs = new Double[count];
		for (int i = 0; i < count; i++) {
			rungs[i] = Math.pow(reductionFactor, -(count - i));
		}
		return List.of(rungs);
	}

	/** The pruning rules a spec can name. */
	public enum Rule {
		MEDIAN,
		ASHA;

		public String text() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Optional<Rule> fromText(String text) {
			return switch (text.trim().toLowerCase(Locale.ROOT)) {
				case "median" -> Optional.of(MEDIAN);
				case "asha" -> Optional.of(ASHA);
				default -> Optional.empty();
			};
		}
	}

	/**
	 * How far a run must have come before it may be pruned: at most one of a duration of training, a fraction of
	 * the run budget, or a step; all zero for no warmup.
	 *
	 * @param duration elapsed training time; zero for none
	 * @param fraction fraction of the run, 0 (none) to below 1: of the steps the finished runs reached when the
	 *     program reports {@code step}, of the run budget otherwise
	 * @param steps the step that must have been reached, 0 for none
	 */
	public record Warmup(Duration duration, double fraction, long steps) {

		public static final Warmup NONE = new Warmup(Duration.ZERO, 0, 0);

		/** A tenth of the run: see {@link Pruning#DEFAULT_WARMUP_FRACTION}. */
		public static final Warmup DEFAULT = new Warmup(Duration.ZERO, DEFAULT_WARMUP_FRACTION, 0);

		public Warmup {
			Objects.requireNonNull(duration, "duration");
			int given = (duration.isZero() ? 0 : 1) + (fraction == 0 ? 0 : 1) + (steps == 0 ? 0 : 1);
			if (duration.isNegative() || !(fraction >= 0 && fraction < 1) || steps < 0 || given > 1) {
				throw new IllegalArgumentException("a warmup is one duration, fraction below 1 or step count, got "
						+ duration + ", " + fraction + ", " + steps);
			}
		}

		/** The warmup as a spec writes it: {@code 30s}, {@code 0.1} or {@code 300 steps}; {@code none} for none. */
		public String text() {
			if (fraction > 0) {
				return Double.toString(fraction);
			}
			if (steps > 0) {
				return steps + (steps == 1 ? " step" : " steps");
			}
			return duration.isZero() ? "none" : Durations.format(duration);
		}

		/**
		 * The warmup in seconds of training for a run of {@code budget}; 0 for a warmup in steps. A fraction counts
		 * in seconds only where the program reports no step.
		 */
		public double seconds(Duration budget) {
			if (fraction > 0) {
				return fraction * budget.toNanos() / 1e9;
			}
			return duration.toNanos() / 1e9;
		}
	}
}
