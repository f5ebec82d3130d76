package dev.nightshift.experiments.experiment;

/** The id of an {@link Experiment}. */
public record ExperimentId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
