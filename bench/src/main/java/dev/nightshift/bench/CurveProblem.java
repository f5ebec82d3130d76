package dev.nightshift.bench;

import java.util.List;
import java.util.Map;

/**
 * A learning-curve problem for the pruning benchmark: a sequence of trials per seed, each a full curve (what
 * the run would report at every point if nothing stopped it), drawn by the same sampler for every method.
 */
interface CurveProblem {

	/** The name both sides of the comparison use. */
	String key();

	/** The first {@code count} trials of seed {@code seed}; fewer when the problem has no more. */
	List<Trial> trials(long seed, int count);

	/** The best true final value any trial can have; regret is measured from it. */
	double optimum();

	/** What one full run costs, in GPU-seconds, on average: the unit of the study's budget. */
	double fullRunSeconds();

	/** The step of the first report: Optuna's successive halving starts its rungs there. */
	long firstStep();

	/** The median rule's warmup, in steps, on both sides. */
	long warmupSteps();


	/**
	 * One trial: its parameters, and at every point the step, the GPU-seconds since it started and the reported
	 * value. A run whose value becomes non-finite stops there by itself, so its curve ends at that point.
	 *
	 * @param trueFinal the noise-free value the run ends with (NaN for one that diverges): regret is measured on it
	 */
	record Trial(Map<String, Object> params, long[] steps, double[] seconds, double[] values, double trueFinal) {

		int points() {
			return values.length;
		}

		/** What the run reports last, its objective; NaN when it diverged. */
		double observedFinal() {
			return values[values.length - 1];
		}
	}
}
