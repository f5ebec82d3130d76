package dev.nightshift.experiments.importance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A regression tree (CART: splits that lower the squared error most), grown on a bootstrap sample for
 * {@link ImportanceForest}. A numeric factor splits at the middle between two values tried; a choice splits its
 * values into two sets, found by ordering them by their mean objective (the optimal split for squared error).
 * What the functional ANOVA needs of it is its {@link #leaves()}: boxes of the input space, each with a value.
 */
final class RegressionTree {

	/** A box of the input space and the tree's prediction inside it. */
	record Leaf(double value, double[] low, double[] high, BitSet[] values) {
	}

	private sealed interface Node permits Terminal, Split {
	}

	private record Terminal(double value) implements Node {
	}

	/** Goes left when a numeric value is below {@code threshold}, or when a choice's value is in {@code left}. */
	private record Split(int factor, double threshold, BitSet left, Node low, Node high) implements Node {

		boolean goesLeft(double[] x) {
			return left == null ? x[factor] < threshold : left.get((int) x[factor]);
		}
	}

	private record Cut(int factor, double gain, double threshold, BitSet left) {
	}

	private final List<Factor> factors;
	private final double[][] x;
	private final double[] y;
	private final int minLeaf;
	private final SplittableRandom random;
	private final Node root;

	private RegressionTree(List<Factor> factors, double[][] x, double[] y, int[][] sorted, int minLeaf,
			SplittableRandom random) {
		this.factors = factors;
		this.x = x;
		this.y = y;
		this.minLeaf = minLeaf;
		this.random = random;
		this.root = grow(sorted);
	}

	/**
	 * Grows a tree on a bootstrap sample of the rows of {@code x} and {@code y}, with at least {@code minLeaf}
	 * rows in each leaf; {@code random} only breaks ties between equally good splits.
	 *
	 * @param order  for each factor, every row index sorted by that factor's value (computed once per forest)
	 * @param counts how often each row is in the sample
	 */
	static RegressionTree grow(List<Factor> factors, double[][] x, double[] y, int[][] order, int[] counts,
			int minLeaf, SplittableRandom random) {
		int size = Arrays.stream(counts).sum();
		int[][] sorted = new int[factors.size()][];
		for (int f = 0; f < sorted.length; f++) {
			sorted[f] = new int[size];
			int next = 0;
			for (int row : order[f]) {
				for (int c = 0; c < counts[row]; c++) {
					sorted[f][next++] = row;
				}
			}
		}
		return new RegressionTree(factors, x, y, sorted, minLeaf, random);
	}

	/** Every row index sorted by each factor's value: what {@link #grow} needs, the same for every tree. */
	static int[][] order(List<Factor> factors, double[][] x) {
		int[][] order = new int[factors.size()][];
		for (int f = 0; f < order.length; f++) {
			int factor = f;
			order[f] = IntStream.range(0, x.length).boxed()
				.sorted(Comparator.comparingDouble(row -> x[row][factor]))
				.mapToInt(Integer::intValue)
				.toArray();
		}
		return order;
	}

	/** The tree's prediction for one row of factor values. */
	double predict(double[] row) {
		Node node = root;
		while (node instanceof Split split) {
			node = split.goesLeft(row) ? split.low() : split.high();
		}
		return ((Terminal) node).value();
	}

	/** The leaves as boxes of the input space: numeric factors in {@code [0, 1]}, choices as sets of values. */
	List<Leaf> leaves() {
		int d = factors.size();
		double[] low = new double[d];
		double[] high = new double[d];
		Arrays.fill(high, 1);
		BitSet[] values = new BitSet[d];
		for (int f = 0; f < d; f++) {
			if (factors.get(f).isChoice()) {
				values[f] = new BitSet();
				values[f].set(0, factors.get(f).categories());
			}
		}
		List<Leaf> leaves = new ArrayList<>();
		collect(root, low, high, values, leaves);
		return leaves;
	}

	private void collect(Node node, double[] low, double[] high, BitSet[] values, List<Leaf> leaves) {
		if (node instanceof Terminal leaf) {
			leaves.add(new Leaf(leaf.value(), low.clone(), high.clone(), copy(values)));
			return;
		}
		Split split = (Split) node;
		int f = split.factor();
		if (split.left() == null) {
			double highBefore = high[f];
			high[f] = split.threshold();
			collect(split.low(), low, high, values, leaves);
			high[f] = highBefore;
			double lowBefore = low[f];
			low[f] = split.threshold();
			collect(split.high(), low, high, values, leaves);
			low[f] = lowBefore;
			return;
		}
		BitSet before = values[f];
		values[f] = (BitSet) before.clone();
		values[f].and(split.left());
		collect(split.low(), low, high, values, leaves);
		values[f] = (BitSet) before.clone();
		values[f].andNot(split.left());
		collect(split.high(), low, high, values, leaves);
		values[f] = before;
	}

	private static BitSet[] copy(BitSet[] values) {
		BitSet[] copy = new BitSet[values.length];
		for (int i = 0; i < values.length; i++) {
			copy[i] = values[i] == null ? null : (BitSet) values[i].clone();
		}
		return copy;
	}

	/** A node on the rows in {@code sorted}: the same rows once per factor, sorted by that factor's value. */
	private Node grow(int[][] sorted) {
		int[] rows = sorted[0];
		double sum = 0;
		for (int row : rows) {
			sum += y[row];
		}
		double mean = sum / rows.length;
		double sse = spread(rows, mean);
		if (rows.length < 2 * minLeaf || sse <= 1e-12 * (1 + mean * mean) * rows.length) {
			return new Terminal(mean);
		}
		Cut best = null;
		for (int f : visitingOrder()) {
			Cut cut = factors.get(f).isChoice() ? choiceCut(f, rows, sum) : numericCut(f, sorted[f], sum);
			if (cut != null && (best == null || cut.gain() > best.gain())) {
				best = cut;
			}
		}
		// A split that does not lower the error (beyond rounding) would only copy the parent.
		if (best == null || best.gain() <= 1e-9 * sse) {
			return new Terminal(mean);
		}
		int lowSize = 0;
		for (int row : rows) {
			lowSize += goesLeft(best, row) ? 1 : 0;
		}
		int[][] low = new int[sorted.length][lowSize];
		int[][] high = new int[sorted.length][rows.length - lowSize];
		for (int f = 0; f < sorted.length; f++) {
			int l = 0;
			int h = 0;
			for (int row : sorted[f]) {
				if (goesLeft(best, row)) {
					low[f][l++] = row;
				}
				else {
					high[f][h++] = row;
				}
			}
		}
		return new Split(best.factor(), best.threshold(), best.left(), grow(low), grow(high));
	}

	private double spread(int[] rows, double mean) {
		double sse = 0;
		for (int row : rows) {
			sse += (y[row] - mean) * (y[row] - mean);
		}
		return sse;
	}

	private boolean goesLeft(Cut cut, int row) {
		double value = x[row][cut.factor()];
		return cut.left() == null ? value < cut.threshold() : cut.left().get((int) value);
	}

	/** Factors in a random order, so that equally good splits are chosen among fairly. */
	private int[] visitingOrder() {
		int[] order = new int[factors.size()];
		for (int i = 0; i < order.length; i++) {
			int j = random.nextInt(i + 1);
			order[i] = order[j];
			order[j] = i;
		}
		return order;
	}

	/**
	 * The best threshold of a numeric factor. Gains are {@code sumL²/nL + sumR²/nR - sum²/n}, the drop of the
	 * squared error.
	 */
	private Cut numericCut(int f, int[] sorted, double total) {
		int n = sorted.length;
		double left = 0;
		Cut best = null;
		for (int k = 1; k < n; k++) {
			left += y[sorted[k - 1]];
			double below = x[sorted[k - 1]][f];
			double above = x[sorted[k]][f];
			if (k < minLeaf || n - k < minLeaf || below == above) {
				continue;
			}
			double right = total - left;
			double gain = left * left / k + right * right / (n - k) - total * total / n;
			if (best == null || gain > best.gain()) {
				best = new Cut(f, gain, below / 2 + above / 2, null);
			}
		}
		return best;
	}

	/** The best split of a choice's values: its values ordered by mean objective, cut between two of them. */
	private Cut choiceCut(int f, int[] rows, double total) {
		int k = factors.get(f).categories();
		double[] sums = new double[k];
		int[] counts = new int[k];
		for (int row : rows) {
			int value = (int) x[row][f];
			sums[value] += y[row];
			counts[value]++;
		}
		Integer[] present = IntStream.range(0, k).filter(c -> counts[c] > 0).boxed()
			.toArray(Integer[]::new);
		Arrays.sort(present, Comparator.comparingDouble(c -> sums[c] / counts[c]));
		int n = rows.length;
		double left = 0;
		int inLeft = 0;
		BitSet set = new BitSet(k);
		Cut best = null;
		for (int i = 0; i < present.length - 1; i++) {
			int value = present[i];
			set.set(value);
			left += sums[value];
			inLeft += counts[value];
			if (inLeft < minLeaf || n - inLeft < minLeaf) {
				continue;
			}
			double right = total - left;
			double gain = left * left / inLeft + right * right / (n - inLeft) - total * total / n;
			if (best == null || gain > best.gain()) {
				best = new Cut(f, gain, Double.NaN, (BitSet) set.clone());
			}
		}
		return best;
	}
}
