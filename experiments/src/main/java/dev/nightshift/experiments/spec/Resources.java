package dev.nightshift.experiments.spec;

/**
 * What one run needs from the machine.
 *
 * @param gpus number of GPUs per run; 0 means the run takes a CPU slot
 */
public record Resources(int gpus) {

	/** A CPU slot, the default when a spec names no resources. */
	public static final Resources CPU = new Resources(0);

	public Resources {
		if (gpus < 0) {
			throw new IllegalArgumentException("gpus must be 0 or more, got " + gpus);
		}
	}
}
