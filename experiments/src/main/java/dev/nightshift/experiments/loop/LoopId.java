package dev.nightshift.experiments.loop;

/** The id of a {@link Loop}. */
public record LoopId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
