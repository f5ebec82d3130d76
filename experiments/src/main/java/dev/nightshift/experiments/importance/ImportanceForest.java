package dev.nightshift.experiments.importance;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A random forest of {@link RegressionTree}s on bootstrap samples, and the functional ANOVA of each tree averaged
 * over the forest: the estimator optuna-dashboard shows (Optuna's {@code FanovaImportanceEvaluator}). Seeded, so
 * the same runs always give the same importance. The out-of-bag R² says how much of the objective's variation
 * the parameters explain at all: near 0, the objective is noise as far as the parameters can tell.
 */
final class ImportanceForest {

	/** What the forest found. */
	record Estimate(double[] shares, double outOfBagR2) {
	}

	private final int trees;
	private final int minLeaf;
	private final long seed;

	ImportanceForest(int trees, int minLeaf, long seed) {
		if (trees < 1 || minLeaf < 1) {
			throw new IllegalArgumentException("need at least one tree and one row per leaf");
		}
		this.trees = trees;
		this.minLeaf = minLeaf;
		this.seed = seed;
	}

	/**
	 * For each factor, the share of the objective's variance its main effect explains, averaged over the trees;
	 * with the out-of-bag R² of the forest.
	 *
	 * @param x one row per run: numeric factors in {@code [0, 1]}, choices as value indexes
	 * @param y the runs' objective values
	 */
	Estimate estimate(List<Factor> factors, double[][] x, double[] y) {
		int n = y.length;
		SplittableRandom random = new SplittableRandom(seed);
		double[] shares = new double[factors.size()];
		double[] outOfBagSum = new double[n];
		int[] outOfBagCount = new int[n];
		int[][] order = RegressionTree.order(factors, x);
		int counted = 0;
		for (int t = 0; t < trees; t++) {
			int[] counts = new int[n];
			for (int i = 0; i < n; i++) {
				counts[random.nextInt(n)]++;
			}
			RegressionTree tree = RegressionTree.grow(factors, x, y, order, counts, minLeaf, random.split());
			double[] treeShares = FunctionalAnova.mainEffectShares(factors, tree.leaves());
			if (sum(treeShares) > 0) {
				for (int f = 0; f < shares.length; f++) {
					shares[f] += treeShares[f];
				}
				counted++;
			}
			for (int i = 0; i < n; i++) {
				if (counts[i] == 0) {
					outOfBagSum[i] += tree.predict(x[i]);
					outOfBagCount[i]++;
				}
			}
		}
		for (int f = 0; f < shares.length; f++) {
			shares[f] = counted == 0 ? 0 : shares[f] / counted;
		}
		return new Estimate(shares, outOfBagR2(y, outOfBagSum, outOfBagCount));
	}

	private static double outOfBagR2(double[] y, double[] sums, int[] counts) {
		double mean = 0;
		int m = 0;
		for (int i = 0; i < y.length; i++) {
			if (counts[i] > 0) {
				mean += y[i];
				m++;
			}
		}
		if (m < 2) {
			return 0;
		}
		mean /= m;
		double residual = 0;
		double total = 0;
		for (int i = 0; i < y.length; i++) {
			if (counts[i] > 0) {
				double predicted = sums[i] / counts[i];
				residual += (y[i] - predicted) * (y[i] - predicted);
				total += (y[i] - mean) * (y[i] - mean);
			}
		}
		return total <= 0 ? 0 : 1 - residual / total;
	}

	static double sum(double[] values) {
		double sum = 0;
		for (double value : values) {
			sum += value;
		}
		return sum;
	}
}
