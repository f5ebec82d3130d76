package dev.nightshift.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synthetic learning curves whose final value and speed depend on the parameters, drawn by a random sampler:
 * {@code lr} (log-uniform 1e-5 to 1e-1), {@code width} (log-uniform 16 to 1024) and {@code dropout} (0 to 0.6).
 * The loss falls from 3.0 towards a final level that is best at lr 3e-3, width 256, dropout 0.15 (the search
 * benchmark's training_loss), at a speed that grows with the learning rate and falls with the width, so a
 * large learning rate looks best early and ends worse: curves cross, which is what makes pruning risky. Runs
 * with lr above about 0.03 diverge at some point (their loss grows until it is no longer finite and the run
 * stops); runs with dropout above 0.5 plateau 0.8 above their level. Every point carries noise of standard
 * deviation 0.03 and every run an offset of standard deviation 0.02 (its seed), both from SplitMix64.
 */
final class SyntheticCurves implements CurveProblem {

	static final int POINTS = 27;
	static final double RUN_SECONDS = 600;

	private final double optimum = searchOptimum();

	@Override
	public String key() {
		return "synthetic";
	}

	@Override
	public List<Trial> trials(long seed, int count) {
		List<Trial> trials = new ArrayList<>(count);
		for (int trial = 0; trial < count; trial++) {
			trials.add(trial(seed, trial));
		}
		return trials;
	}

	private static Trial trial(long seed, int trial) {
		double lr = Math.pow(10, -5 + 4 * uniform(seed, trial, 0));
		double width = Math.pow(2, 4 + 6 * uniform(seed, trial, 1));
		double dropout = 0.6 * uniform(seed, trial, 2);
		double diverges = uniform(seed, trial, 3);
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("lr", lr);
		params.put("width", (int) Math.round(width));
		params.put("dropout", dropout);
		double offset = centred(seed, trial, -1) * 0.02;
		long[] steps = new long[POINTS];
		double[] seconds = new double[POINTS];
		double[] values = new double[POINTS];
		int points = 0;
		for (int k = 1; k <= POINTS; k++) {
			double value = loss(lr, width, dropout, diverges, (double) k / POINTS) + offset + centred(seed, trial, k) * 0.03;
			steps[points] = k;
			seconds[points] = RUN_SECONDS * k / POINTS;
			values[points++] = Double.isFinite(value) ? value : Double.NaN;
			if (!Double.isFinite(value)) {
				break;
			}
		}
		return new Trial(params, java.util.Arrays.copyOf(steps, points), java.util.Arrays.copyOf(seconds, points),
				java.util.Arrays.copyOf(values, points), loss(lr, width, dropout, diverges, 1.0));
	}

	/** The noise-free loss at fraction {@code u} of the run; infinite once a diverging run has blown up. */
	static double loss(double lr, double width, double dropout, double diverges, double u) {
		double x = Math.log10(lr / 3e-3);
		double w = (Math.log(width) / Math.log(2) - 8) / 3;
		double level = 1.0 + 0.25 * x * x + 0.08 * w * w + 0.1 * x * w + 0.6 * (dropout - 0.15) * (dropout - 0.15);
		double tau = 0.15 * Math.pow(10, -0.5 * x) * Math.pow(2, w);
		double loss = level + (3.0 - level) * Math.exp(-u / tau);
		if (dropout > 0.5) {
			loss = Math.max(loss, level + 0.8);
		}
		if (x > 1.0) {
			double at = 0.2 + 0.6 * diverges;
			if (u > at) {
				loss += Math.expm1(12 * (u - at));
			}
			if (loss > 20) {
				return Double.POSITIVE_INFINITY;
			}
		}
		return loss;
	}

	@Override
	public double optimum() {
		return optimum;
	}

	/** The smallest noise-free final loss on a fine grid (dropout at its best, 0.15; nothing diverges there). */
	private static double searchOptimum() {
		double best = Double.MAX_VALUE;
		for (int i = 0; i <= 800; i++) {
			double lr = Math.pow(10, -5 + 4.0 * i / 800);
			for (int j = 0; j <= 600; j++) {
				best = Math.min(best, loss(lr, Math.pow(2, 4 + 6.0 * j / 600), 0.15, 1, 1.0));
			}
		}
		return best;
	}

	@Override
	public double fullRunSeconds() {
		return RUN_SECONDS;
	}

	@Override
	public long firstStep() {
		return 1;
	}

	@Override
	public long warmupSteps() {
		return 3;
	}


	/** Uniform on [0, 1) from SplitMix64 of the seed, the trial and a stream number. */
	private static double uniform(long seed, int trial, int stream) {
		long bits = Problem.splitMix64(Problem.splitMix64(seed * 1_000_003L + trial) + stream);
		return (bits >>> 11) * 0x1.0p-53;
	}

	/** Uniform with mean 0 and standard deviation 1. */
	private static double centred(long seed, int trial, int stream) {
		return (uniform(seed, trial, 1000 + stream) - 0.5) * 2 * Math.sqrt(3);
	}
}
