package dev.nightshift.agent.strategy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.math3.special.Erf;

/**
 * A Parzen (kernel) density over some coordinates of the search space, fitted to observed points the way
 * Optuna's TPE fits its {@code _ParzenEstimator}: one kernel per observation plus a wide prior kernel in the
 * middle of the range; truncated Gaussians for numbers, smoothed one-hot distributions for choices; the
 * newest 25 observations weigh fully and older ones less (a linear ramp).
 * <p>
 * Bandwidths (see {@link Bandwidth}) are clipped to {@code [range / min(100, 1 + kernels), range]} (Optuna's
 * "magic clip"), so a few close points do not make needle-thin kernels.
 */
final class ParzenEstimator {

	/** How wide each observation's kernel is, per coordinate. */
	enum Bandwidth {
		/** As wide as the larger gap to its neighbours on that coordinate: Optuna's univariate rule. */
		NEIGHBOUR_GAPS,
		/** One width for all, Scott's rule {@code 0.2 n^(-1/(d+4))} of the range: Optuna's multivariate rule. */
		SCOTT
	}

	private static final double PRIOR_WEIGHT = 1.0;
	private static final int FULL_WEIGHT_NEWEST = 25;
	private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
	private static final double SQRT2 = Math.sqrt(2);
	private static final int REJECTION_TRIES = 64;

	private final int[] coordinates;
	private final double[] logWeights;
	private final double[] cumulativeWeights;
	private final Kernels[] kernels;

	private ParzenEstimator(int[] coordinates, double[] weights, Kernels[] kernels) {
		this.coordinates = coordinates;
		this.kernels = kernels;
		double total = Arrays.stream(weights).sum();
		this.logWeights = new double[weights.length];
		this.cumulativeWeights = new double[weights.length];
		double running = 0;
		for (int k = 0; k < weights.length; k++) {
			logWeights[k] = Math.log(weights[k] / total);
			running += weights[k] / total;
			cumulativeWeights[k] = running;
		}
	}

	/** Fits the density to {@code observations} (oldest first) over the given coordinates, jointly. */
	static ParzenEstimator fit(SearchSpace space, int[] coordinates, List<double[]> observations, Bandwidth bandwidth) {
		int n = observations.size();
		double[] weights = Arrays.copyOf(observationWeights(n), n + 1);
		weights[n] = PRIOR_WEIGHT;
		Kernels[] kernels = new Kernels[coordinates.length];
		for (int j = 0; j < coordinates.length; j++) {
			Dimension dimension = space.get(coordinates[j]);
			double[] values = new double[n];
			for (int i = 0; i < n; i++) {
				values[i] = observations.get(i)[coordinates[j]];
			}
			kernels[j] = dimension.isChoice() ? Categorical.fit(values, dimension.choices())
					: Gaussian.fit(values, dimension.low(), dimension.high(), bandwidth == Bandwidth.SCOTT ? space.size() : 0);
		}
		return new ParzenEstimator(coordinates.clone(), weights, kernels);
	}

	/** Optuna's default weights: flat for the newest 25, a ramp from 1/n up for the older ones. */
	static double[] observationWeights(int n) {
		double[] weights = new double[n];
		Arrays.fill(weights, 1.0);
		int ramp = n - FULL_WEIGHT_NEWEST;
		for (int i = 0; i < ramp; i++) {
			weights[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
		}
		return weights;
	}

	/** The log density at a point (only this estimator's coordinates are read). */
	double logDensity(double[] point) {
		double max = Double.NEGATIVE_INFINITY;
		double[] terms = new double[logWeights.length];
		for (int k = 0; k < terms.length; k++) {
			double term = logWeights[k];
			for (int j = 0; j < coordinates.length; j++) {
				term += kernels[j].logDensity(k, point[coordinates[j]]);
			}
			terms[k] = term;
			max = Math.max(max, term);
		}
		if (max == Double.NEGATIVE_INFINITY) {
			return max;
		}
		double sum = 0;
		for (double term : terms) {
			sum += Math.exp(term - max);
		}
		return max + Math.log(sum);
	}

	/** Draws a point from the density into this estimator's coordinates of {@code into}. */
	void sample(SplittableRandom random, double[] into) {
		double u = random.nextDouble();
		int kernel = 0;
		while (kernel < cumulativeWeights.length - 1 && cumulativeWeights[kernel] <= u) {
			kernel++;
		}
		for (int j = 0; j < coordinates.length; j++) {
			into[coordinates[j]] = kernels[j].sample(kernel, random);
		}
	}

	/** The kernels of one coordinate, indexed by observation; the last is the prior. */
	private interface Kernels {

		double logDensity(int kernel, double x);

		double sample(int kernel, SplittableRandom random);
	}

	/** Gaussians truncated to the coordinate's range. */
	private static final class Gaussian implements Kernels {

		private final double low;
		private final double high;
		private final double[] mu;
		private final double[] sigma;
		private final double[] logNormaliser;

		private Gaussian(double low, double high, double[] mu, double[] sigma) {
			this.low = low;
			this.high = high;
			this.mu = mu;
			this.sigma = sigma;
			this.logNormaliser = new double[mu.length];
			for (int k = 0; k < mu.length; k++) {
				double mass = 0.5 * Erf.erf((low - mu[k]) / (sigma[k] * SQRT2), (high - mu[k]) / (sigma[k] * SQRT2));
				logNormaliser[k] = Math.log(Math.max(mass, Double.MIN_NORMAL)) + Math.log(sigma[k]) + LOG_SQRT_2PI;
			}
		}

		/** @param jointDimensions the number of coordinates modelled jointly, or 0 for one on its own */
		static Gaussian fit(double[] observed, double low, double high, int jointDimensions) {
			int n = observed.length;
			double width = high - low;
			double[] sigma = jointDimensions > 0
					? scott(n, jointDimensions, width)
					: neighbourGaps(observed, low, high);
			double minSigma = width / Math.min(100.0, 1.0 + n + 1);
			double[] mu = Arrays.copyOf(observed, n + 1);
			double[] sigmas = Arrays.copyOf(sigma, n + 1);
			for (int i = 0; i < n; i++) {
				sigmas[i] = Math.max(minSigma, Math.min(width, sigmas[i]));
			}
			mu[n] = low + width / 2;
			sigmas[n] = width;
			return new Gaussian(low, high, mu, sigmas);
		}

		private static double[] scott(int n, int dimensions, double width) {
			double[] sigma = new double[n];
			Arrays.fill(sigma, 0.2 * Math.pow(Math.max(n, 1), -1.0 / (dimensions + 4)) * width);
			return sigma;
		}

		/** Each kernel as wide as its larger gap to a neighbour, the prior's middle counted as a point. */
		private static double[] neighbourGaps(double[] observed, double low, double high) {
			int n = observed.length;
			double[] points = Arrays.copyOf(observed, n + 1);
			points[n] = low + (high - low) / 2;
			Integer[] order = new Integer[n + 1];
			for (int i = 0; i <= n; i++) {
				order[i] = i;
			}
			Arrays.sort(order, (a, b) -> Double.compare(points[a], points[b]));
			double[] withEnds = new double[n + 3];
			withEnds[0] = low;
			withEnds[n + 2] = high;
			for (int i = 0; i <= n; i++) {
				withEnds[i + 1] = points[order[i]];
			}
			double[] sortedSigma = new double[n + 1];
			for (int i = 0; i <= n; i++) {
				sortedSigma[i] = Math.max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
			}
			// Like Optuna without consider_endpoints: the outermost kernels ignore the gap to the range's end.
			if (n >= 1) {
				sortedSigma[0] = withEnds[2] - withEnds[1];
				sortedSigma[n] = withEnds[n + 1] - withEnds[n];
			}
			double[] sigma = new double[n];
			for (int i = 0; i <= n; i++) {
				if (order[i] < n) {
					sigma[order[i]] = sortedSigma[i];
				}
			}
			return sigma;
		}

		@Override
		public double logDensity(int kernel, double x) {
			if (x < low || x > high) {
				return Double.NEGATIVE_INFINITY;
			}
			double z = (x - mu[kernel]) / sigma[kernel];
			return -0.5 * z * z - logNormaliser[kernel];
		}

		@Override
		public double sample(int kernel, SplittableRandom random) {
			// The kernel's centre lies in the range and its width is at most the range, so at least a third of
			// its mass is inside: rejection needs few tries, and the clamp below is a safety net only.
			for (int i = 0; i < REJECTION_TRIES; i++) {
				double x = mu[kernel] + sigma[kernel] * Search.gaussian(random);
				if (x >= low && x <= high) {
					return x;
				}
			}
			return Math.max(low, Math.min(high, mu[kernel]));
		}
	}

	/** One-hot distributions smoothed with the prior's weight; the prior itself is uniform. */
	private static final class Categorical implements Kernels {

		private final double[][] probabilities;

		private Categorical(double[][] probabilities) {
			this.probabilities = probabilities;
		}

		static Categorical fit(double[] observed, int choices) {
			int kernels = observed.length + 1;
			double[][] probabilities = new double[kernels][choices];
			for (int k = 0; k < observed.length; k++) {
				Arrays.fill(probabilities[k], PRIOR_WEIGHT / kernels);
				probabilities[k][(int) Math.round(observed[k])] += 1;
				double total = 1 + choices * PRIOR_WEIGHT / kernels;
				for (int c = 0; c < choices; c++) {
					probabilities[k][c] /= total;
				}
			}
			Arrays.fill(probabilities[observed.length], 1.0 / choices);
			return new Categorical(probabilities);
		}

		@Override
		public double logDensity(int kernel, double x) {
			int index = (int) Math.round(x);
			double[] p = probabilities[kernel];
			return index >= 0 && index < p.length ? Math.log(p[index]) : Double.NEGATIVE_INFINITY;
		}

		@Override
		public double sample(int kernel, SplittableRandom random) {
			double u = random.nextDouble();
			double[] p = probabilities[kernel];
			double running = 0;
			for (int c = 0; c < p.length - 1; c++) {
				running += p[c];
				if (u < running) {
					return c;
				}
			}
			return p.length - 1;
		}
	}
}
