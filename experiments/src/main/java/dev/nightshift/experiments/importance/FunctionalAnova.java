package dev.nightshift.experiments.importance;

import java.util.Arrays;
import java.util.List;

import dev.nightshift.experiments.importance.RegressionTree.Leaf;

/**
 * The functional ANOVA of one regression tree (Hutter, Hoos and Leyton-Brown, 2014): with every factor drawn
 * uniformly over the values tried, how much of the variance of the tree's prediction each factor's main effect
 * explains. The main effect of a factor is the prediction averaged over all the other factors; a tree is
 * constant on boxes, so the average is a sum over the leaves weighted by their volume.
 */
final class FunctionalAnova {

	private FunctionalAnova() {
	}

	/**
	 * For each factor, the variance of its main effect divided by the variance of the tree; all zeros when the
	 * tree is constant. The shares of a tree add up to at most 1: the rest is explained by interactions.
	 */
	static double[] mainEffectShares(List<Factor> factors, List<Leaf> leaves) {
		int d = factors.size();
		double[] volume = new double[leaves.size()];
		double mean = 0;
		for (int l = 0; l < leaves.size(); l++) {
			volume[l] = 1;
			for (int f = 0; f < d; f++) {
				volume[l] *= measure(factors.get(f), leaves.get(l), f);
			}
			mean += volume[l] * leaves.get(l).value();
		}
		double variance = 0;
		for (int l = 0; l < leaves.size(); l++) {
			double deviation = leaves.get(l).value() - mean;
			variance += volume[l] * deviation * deviation;
		}
		double[] shares = new double[d];
		if (variance <= 1e-12 * (1 + mean * mean)) {
			return shares;
		}
		for (int f = 0; f < d; f++) {
			double effect = factors.get(f).isChoice() ? choiceVariance(factors.get(f), f, leaves, volume, mean)
					: numericVariance(f, leaves, volume, mean);
			shares[f] = Math.min(1, effect / variance);
		}
		return shares;
	}

	/** The leaf's extent along one factor: its width, or the share of a choice's values it holds. */
	private static double measure(Factor factor, Leaf leaf, int f) {
		return factor.isChoice() ? (double) leaf.values()[f].cardinality() / factor.categories()
				: leaf.high()[f] - leaf.low()[f];
	}

	/**
	 * The main effect of a numeric factor is a step function; between two consecutive leaf edges it is the sum
	 * of {@code value × volume / width} over the leaves spanning that stretch, added up with a difference array.
	 */
	private static double numericVariance(int f, List<Leaf> leaves, double[] volume, double mean) {
		double[] edges = new double[2 * leaves.size() + 2];
		int n = 0;
		edges[n++] = 0;
		edges[n++] = 1;
		for (Leaf leaf : leaves) {
			edges[n++] = leaf.low()[f];
			edges[n++] = leaf.high()[f];
		}
		double[] cuts = Arrays.stream(edges, 0, n).sorted().distinct().toArray();
		double[] steps = new double[cuts.length];
		for (int l = 0; l < leaves.size(); l++) {
			Leaf leaf = leaves.get(l);
			double height = leaf.value() * volume[l] / (leaf.high()[f] - leaf.low()[f]);
			steps[Arrays.binarySearch(cuts, leaf.low()[f])] += height;
			steps[Arrays.binarySearch(cuts, leaf.high()[f])] -= height;
		}
		double effect = 0;
		double level = 0;
		for (int c = 0; c < cuts.length - 1; c++) {
			level += steps[c];
			double width = cuts[c + 1] - cuts[c];
			effect += width * (level - mean) * (level - mean);
		}
		return effect;
	}

	/** The main effect of a choice at each of its values: the leaves holding that value, weighted. */
	private static double choiceVariance(Factor factor, int f, List<Leaf> leaves, double[] volume, double mean) {
		int k = factor.categories();
		double[] level = new double[k];
		for (int l = 0; l < leaves.size(); l++) {
			Leaf leaf = leaves.get(l);
			double share = (double) leaf.values()[f].cardinality() / k;
			double height = leaf.value() * volume[l] / share;
			leaf.values()[f].stream().forEach(value -> level[value] += height);
		}
		double effect = 0;
		for (double value : level) {
			effect += (value - mean) * (value - mean) / k;
		}
		return effect;
	}
}
