package dev.nightshift.scheduler.pruning;

import java.util.Collection;

/**
 * How far a run must have come before it may be pruned: early points are noisy and every curve starts badly. A
 * warmup in steps is only ever passed by a program that reports {@code step}. A warmup given as a fraction of the run
 * counts on the run's own axis: of the last step the finished runs reached when the program reports {@code step}
 * (so that it does not depend on how generous the time budget is), of the budget's seconds otherwise.
 *
 * @param seconds elapsed training time that must have passed, 0 for none; on the step axis, unused when
 *     {@code fraction} is given
 * @param steps the step that must have been reached, 0 for none
 * @param fraction the fraction of the finished runs' last step that must have been reached on the step axis, 0 for
 *     none
 */
public record Warmup(double seconds, long steps, double fraction) {

	/** No warmup: a run may be pruned at its first point. */
	public static final Warmup NONE = new Warmup(0, 0, 0);

	public Warmup {
		if (!(seconds >= 0) || Double.isInfinite(seconds) || steps < 0 || !(fraction >= 0 && fraction < 1)) {
			throw new IllegalArgumentException("warmup must be 0 or more, got " + seconds + "s, " + steps
					+ " steps and a fraction " + fraction);
		}
	}

	public static Warmup ofSeconds(double seconds) {
		return new Warmup(seconds, 0, 0);
	}

	public static Warmup ofSteps(long steps) {
		return new Warmup(0, steps, 0);
	}

	/** A fraction of the run: of the finished runs' last step on the step axis, of {@code budgetSeconds} otherwise. */
	public static Warmup ofFraction(double fraction, double budgetSeconds) {
		return new Warmup(fraction * budgetSeconds, 0, fraction);
	}

	/**
	 * Whether a run whose curve is {@code curve}, after {@code elapsedSeconds} of training, is past the warmup;
	 * {@code others} are the experiment's other runs, whose finished ones tell how long a run is on the step axis.
	 */
	public boolean passed(Curve curve, double elapsedSeconds, Collection<Curve> others) {
		if (fraction > 0 && curve.axis() == Axis.STEP) {
			double full = lastFinishedStep(others);
			return full > 0 && curve.reached(fraction * full);
		}
		if (elapsedSeconds < seconds) {
			return false;
		}
		return steps == 0 || curve.axis() == Axis.STEP && curve.reached(steps);
	}

	/** The last step any finished run on the step axis reached; 0 when none has finished. */
	static double lastFinishedStep(Collection<Curve> others) {
		double last = 0;
		for (Curve other : others) {
			if (other.finished() && other.axis() == Axis.STEP) {
				last = Math.max(last, other.lastAt());
			}
		}
		return last;
	}
}
