package dev.nightshift.experiments.spec;

/**
 * How run-to-run noise is measured and how large an improvement must be to count (SPEC section 4).
 *
 * @param replicates baseline runs at loop start that measure the noise, 1 to {@link #MAX_REPLICATES}
 * @param minDelta the smallest improvement that counts even when the measured noise is smaller, 0 or more
 */
public record Noise(int replicates, double minDelta) {

	/** Twenty replicates already pin the noise well; more would spend the night on the baseline. */
	public static final int MAX_REPLICATES = 20;

	/** Two baseline replicates and no minimum improvement, the default when a spec says nothing about noise. */
	public static final Noise DEFAULT = new Noise(2, 0.0);

	public Noise {
		if (replicates < 1 || replicates > MAX_REPLICATES) {
			throw new IllegalArgumentException("replicates must be 1 to " + MAX_REPLICATES + ", got " + replicates);
		}
		if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
			throw new IllegalArgumentException("minDelta must be a finite number >= 0, got " + minDelta);
		}
	}
}
