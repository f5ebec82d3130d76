package dev.nightshift.experiments.proposal;

/** The id of a {@link Proposal}. */
public record ProposalId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
