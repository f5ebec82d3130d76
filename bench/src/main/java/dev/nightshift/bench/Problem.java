package dev.nightshift.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.spec.Budget;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.Objective;
import dev.nightshift.experiments.spec.ParameterSpec;

/**
 * A function to minimise with a known optimum. {@code bench/optuna_baseline.py} defines the same three, with
 * the same noise, so both sides search the same landscape.
 */
enum Problem {

	/** Branin-Hoo on [-5, 10] x [0, 15]; minimum 0.397887 at three points. */
	BRANIN(0.39788735772973816) {
		@Override
		Map<String, ParameterSpec> parameters() {
			Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
			parameters.put("x1", new FloatParameter(-5, 10, false, 2.5));
			parameters.put("x2", new FloatParameter(0, 15, false, 7.5));
			return parameters;
		}

		@Override
		double value(Map<String, Object> params) {
			double x1 = number(params, "x1");
			double x2 = number(params, "x2");
			double b = 5.1 / (4 * Math.PI * Math.PI);
			double c = 5 / Math.PI;
			double t = 1 / (8 * Math.PI);
			return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
		}
	},

	/** Hartmann on [0, 1]^6; minimum -3.32237. */
	HARTMANN6(-3.3223680114155147) {
		private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
		private static final double[][] A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
				{3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
		private static final double[][] P = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
				{2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

		@Override
		Map<String, ParameterSpec> parameters() {
			Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
			for (int j = 1; j <= 6; j++) {
				parameters.put("x" + j, new FloatParameter(0, 1, false, 0.5));
			}
			return parameters;
		}

		@Override
		double value(Map<String, Object> params) {
			double sum = 0;
			for (int i = 0; i < 4; i++) {
				double inner = 0;
				for (int j = 0; j < 6; j++) {
					double d = number(params, "x" + (j + 1)) - P[i][j] * 1e-4;
					inner += A[i][j] * d * d;
				}
				sum += ALPHA[i] * Math.exp(-inner);
			}
			return -sum;
		}
	},

	/**
	 * Shaped like a training run's final loss: a log-scale learning rate, a width, dropout and an activation,
	 * with an interaction between learning rate and width, plus noise of standard deviation 0.03 fixed by the
	 * seed and the trial number. Minimum 1.0 at lr 3e-3, width 256, dropout 0.15, gelu.
	 */
	TRAINING_LOSS(1.0) {
		@Override
		Map<String, ParameterSpec> parameters() {
			Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
			parameters.put("lr", new FloatParameter(1e-5, 1e-1, true, 1e-3));
			parameters.put("width", new IntParameter(16, 1024, true, 64));
			parameters.put("dropout", new FloatParameter(0, 0.6, false, 0.3));
			parameters.put("activation", new ChoiceParameter(List.of("relu", "gelu", "tanh"), "relu"));
			return parameters;
		}

		@Override
		double value(Map<String, Object> params) {
			double x = Math.log10(number(params, "lr")) - Math.log10(3e-3);
			double w = (Math.log(number(params, "width")) / Math.log(2) - 8) / 3;
			double d = number(params, "dropout") - 0.15;
			String activation = String.valueOf(params.get("activation"));
			double offset = "gelu".equals(activation) ? 0 : "relu".equals(activation) ? 0.03 : 0.10;
			return 1.0 + 0.25 * x * x + 0.08 * w * w + 0.1 * x * w + 0.6 * d * d + offset;
		}

		@Override
		double observed(Map<String, Object> params, long seed, int trial) {
			long bits = splitMix64(seed * 1_000_003L + trial);
			double uniform = (bits >>> 11) * 0x1.0p-53;
			// Uniform on [-a, a] with a = 0.03 * sqrt(3) has standard deviation 0.03.
			return value(params) + (uniform - 0.5) * 2 * 0.03 * Math.sqrt(3);
		}
	};

	private final double optimum;

	Problem(double optimum) {
		this.optimum = optimum;
	}

	/** The known minimum. */
	double optimum() {
		return optimum;
	}

	abstract Map<String, ParameterSpec> parameters();

	/** The noise-free value. */
	abstract double value(Map<String, Object> params);

	/** What a run reports: the value, plus noise where the problem has some. */
	double observed(Map<String, Object> params, long seed, int trial) {
		return value(params);
	}

	/** The name both sides of the comparison use. */
	String key() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	ExperimentSpec spec() {
		return new ExperimentSpec(key(), null, "python3 train.py", List.of(), new Objective("loss", Goal.MINIMIZE),
				new Budget(Duration.ofMinutes(1)), parameters(), null, null, "Lower the loss.");
	}

	static double number(Map<String, Object> params, String name) {
		return ((Number) params.get(name)).doubleValue();
	}

	/** SplitMix64, written the same way in the Python baseline so the noise agrees bit for bit. */
	static long splitMix64(long x) {
		long z = x + 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}
}
