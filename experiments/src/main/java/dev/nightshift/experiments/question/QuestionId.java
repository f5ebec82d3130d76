package dev.nightshift.experiments.question;

/** The id of a {@link Question}. */
public record QuestionId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
