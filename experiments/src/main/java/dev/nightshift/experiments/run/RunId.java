package dev.nightshift.experiments.run;

/** The id of a {@link Run}. */
public record RunId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
