package dev.nightshift.scheduler.pruning;

/** Builds curves for the rule tests. */
final class Curves {

	private Curves() {}

	/** A curve on {@code axis} with {@code values} at points 100, 200, 300, ... */
	static Curve every100(Axis axis, double... values) {
		Curve curve = new Curve(axis);
		for (int i = 0; i < values.length; i++) {
			curve.add(100.0 * (i + 1), values[i]);
		}
		return curve;
	}

	static Curve finished(Axis axis, double... values) {
		Curve curve = every100(axis, values);
		curve.finish();
		return curve;
	}
}
