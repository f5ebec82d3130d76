package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.spec.Goal;
import java.util.Arrays;
import java.util.Objects;

/**
 * One run's learning curve of the pruned metric, append-only. It keeps the best value so far at every point, so
 * that "the best value up to point x" and "the value at point x" are a binary search, never a scan of the points:
 * a rule asked at every new point of every run stays fast however long the runs are. Not thread-safe.
 */
public final class Curve {

	private final Axis axis;
	private double[] at = new double[16];
	private double[] value = new double[16];
	private double[] runningMin = new double[16];
	private double[] runningMax = new double[16];
	private int size;
	private boolean finished;

	public Curve(Axis axis) {
		this.axis = Objects.requireNonNull(axis, "axis");
	}

	/**
	 * Adds a point. A point placed before the last one (a program that counts its steps anew) is taken as being at
	 * the last point, so the curve stays ordered.
	 */
	public void add(double point, double metric) {
		if (size == at.length) {
			int length = size * 2;
			at = Arrays.copyOf(at, length);
			value = Arrays.copyOf(value, length);
			runningMin = Arrays.copyOf(runningMin, length);
			runningMax = Arrays.copyOf(runningMax, length);
		}
		double position = size > 0 ? Math.max(point, at[size - 1]) : point;
		double min = size > 0 ? runningMin[size - 1] : Double.NaN;
		double max = size > 0 ? runningMax[size - 1] : Double.NaN;
		// Non-finite values are a diverging run's business (its own outcome), never a "best" value.
		if (Double.isFinite(metric)) {
			min = Double.isNaN(min) ? metric : Math.min(min, metric);
			max = Double.isNaN(max) ? metric : Math.max(max, metric);
		}
		at[size] = position;
		value[size] = metric;
		runningMin[size] = min;
		runningMax[size] = max;
		size++;
	}

	/** Marks the run as ended: its curve will not grow again. */
	public void finish() {
		finished = true;
	}

	public boolean finished() {
		return finished;
	}

	public Axis axis() {
		return axis;
	}

	public int size() {
		return size;
	}

	public boolean isEmpty() {
		return size == 0;
	}

	/** The point of the last value; negative infinity while the curve is empty. */
	public double lastAt() {
		return size == 0 ? Double.NEGATIVE_INFINITY : at[size - 1];
	}

	/** The point of the value before the last; negative infinity when there is none. */
	public double previousAt() {
		return size < 2 ? Double.NEGATIVE_INFINITY : at[size - 2];
	}

	/** Whether the run reported a value at {@code point} or later. */
	public boolean reached(double point) {
		return size > 0 && at[size - 1] >= point;
	}

	/** The last value reported at or before {@code point}; NaN when none was. */
	public double valueAt(double point) {
		int index = lastIndexAtOrBefore(point);
		return index < 0 ? Double.NaN : value[index];
	}

	/** The best finite value reported at or before {@code point}; NaN when none was. */
	public double bestUpTo(double point, Goal goal) {
		int index = lastIndexAtOrBefore(point);
		if (index < 0) {
			return Double.NaN;
		}
		return goal == Goal.MINIMIZE ? runningMin[index] : runningMax[index];
	}

	/** The best finite value so far; NaN when none was reported. */
	public double best(Goal goal) {
		return bestUpTo(lastAt(), goal);
	}

	private int lastIndexAtOrBefore(double point) {
		int low = 0;
		int high = size - 1;
		int found = -1;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			if (at[middle] <= point) {
				found = middle;
				low = middle + 1;
			} else {
				high = middle - 1;
			}
		}
		return found;
	}
}
