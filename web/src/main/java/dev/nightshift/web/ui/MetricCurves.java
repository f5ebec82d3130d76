package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.RunId;
import org.springframework.stereotype.Component;

/**
 * A run's metric points as one curve per metric (by name), column-wise for uPlot; a curve of more points than
 * a chart can show is thinned to {@link #MAX_POINTS}, keeping each stretch's extremes.
 */
@Component
class MetricCurves {

	private final MetricPoints points;

	MetricCurves(MetricPoints points) {
		this.points = points;
	}

	/**
	 * One metric's curve.
	 *
	 * @param x     the training step of each point, or its report order where the run gave no steps
	 * @param y     the values; NaN and infinities become gaps, as JSON has no such numbers
	 * @param steps whether {@code x} holds steps
	 */
	record Curve(String name, List<Long> x, List<Double> y, boolean steps) {
	}

	/** More points than a chart has pixels are thinned to about this many per curve. */
	static final int MAX_POINTS = 2_000;

	List<Curve> of(RunId run) {
		Map<String, Series> byName = new LinkedHashMap<>();
		points.scan(run, (name, step, value) -> byName.computeIfAbsent(name, n -> new Series()).add(step, value));
		List<Curve> curves = new ArrayList<>();
		byName.forEach((name, series) -> curves.add(series.curve(name)));
		return curves;
	}

	/** One metric's points as read, in report order. */
	private static final class Series {

		private long[] steps = new long[64];
		private double[] values = new double[64];
		private int size;
		private boolean allStepped = true;

		void add(Long step, double value) {
			if (size == values.length) {
				steps = Arrays.copyOf(steps, size * 2);
				values = Arrays.copyOf(values, size * 2);
			}
			allStepped &= step != null;
			steps[size] = step == null ? 0 : step;
			values[size++] = value;
		}

		Curve curve(String name) {
			// uPlot wants x ascending; a run may log an evaluation step out of order. The sort is stable.
			Integer[] order = new Integer[size];
			for (int i = 0; i < size; i++) {
				order[i] = i;
			}
			if (allStepped) {
				Arrays.sort(order, Comparator.comparingLong(i -> steps[i]));
			}
			List<Long> x = new ArrayList<>();
			List<Double> y = new ArrayList<>();
			for (int i : thinned(order)) {
				x.add(allStepped ? steps[i] : i + 1L);
				y.add(ObjectiveChart.finite(values[i]));
			}
			return new Curve(name, x, y, allStepped);
		}

		/**
		 * All points when there are few; else, for each of {@link #MAX_POINTS}/2 consecutive buckets, its lowest
		 * and highest point (a non-finite one first, since it matters most), in order, and the last point.
		 * Spikes and divergence survive the thinning; only the points between them go.
		 */
		private List<Integer> thinned(Integer[] order) {
			if (size <= MAX_POINTS) {
				return Arrays.asList(order);
			}
			int buckets = MAX_POINTS / 2;
			List<Integer> kept = new ArrayList<>(MAX_POINTS + 1);
			for (int b = 0; b < buckets; b++) {
				int from = (int) ((long) b * size / buckets);
				int to = (int) ((long) (b + 1) * size / buckets);
				// Positions in the order, not point numbers, so that the two keep their order.
				int low = from;
				int high = from;
				for (int k = from; k < to; k++) {
					double value = values[order[k]];
					if (!Double.isFinite(value)) {
						low = k;
						high = k;
						break;
					}
					low = value < values[order[low]] ? k : low;
					high = value > values[order[high]] ? k : high;
				}
				kept.add(order[Math.min(low, high)]);
				if (low != high) {
					kept.add(order[Math.max(low, high)]);
				}
			}
			int last = order[size - 1];
			if (kept.get(kept.size() - 1) != last) {
				kept.add(last);
			}
			return kept;
		}
	}
}
