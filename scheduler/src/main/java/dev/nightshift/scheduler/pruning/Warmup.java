package dev.nightshift.scheduler.pruning;

/**
 * How far a run must have come before it may be pruned: early points are noisy and every curve starts badly. A
 * warmup in steps is only ever passed by a program that reports {@code step}.
 *
 * @param seconds elapsed training time that must have passed, 0 for none
 * @param steps the step that must have been reached, 0 for none
 */
public record Warmup(double seconds, long steps) {

	/** No warmup: a run may be pruned at its first point. */
	public static final Warmup NONE = new Warmup(0, 0);

	public Warmup {
		if (!(seconds >= 0) || Double.isInfinite(seconds) || steps < 0) {
			throw new IllegalArgumentException("warmup must be 0 or more, got " + seconds + "s and " + steps + " steps");
		}
	}

	public static Warmup ofSeconds(double seconds) {
		return new Warmup(seconds, 0);
	}

	public static Warmup ofSteps(long steps) {
		return new Warmup(0, steps);
	}

	/** Whether a run whose curve is {@code curve}, after {@code elapsedSeconds} of training, is past the warmup. */
	public boolean passed(Curve curve, double elapsedSeconds) {
		if (elapsedSeconds < seconds) {
			return false;
		}
		return steps == 0 || curve.axis() == Axis.STEP && curve.reached(steps);
	}
}
