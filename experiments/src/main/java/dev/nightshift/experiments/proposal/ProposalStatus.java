package dev.nightshift.experiments.proposal;

import dev.nightshift.experiments.lifecycle.TransitionTable;

/** Where a proposal stands between being made and having run. */
public enum ProposalStatus {

	/** Made and validated; waits for a person or a policy. */
	PROPOSED,
	/** Cleared to run; waits for a slot. */
	APPROVED,
	/** Turned down by a person, with a reason. */
	VETOED,
	/** Failed validation, with a reason; nobody was asked. */
	REJECTED,
	/** A run for it is queued or going. */
	SCHEDULED,
	/** Its run finished, whatever the outcome. */
	DONE,
	/** Taken back before it ran. */
	WITHDRAWN;

	/**
	 * The moves a proposal may make. SCHEDULED may fall back to APPROVED once, when its run was LOST in a
	 * server crash and the proposal is queued again.
	 */
	public static final TransitionTable<ProposalStatus> TRANSITIONS = TransitionTable.of("proposal", ProposalStatus.class)
		.allow(PROPOSED, APPROVED, VETOED, REJECTED)
		.allow(APPROVED, SCHEDULED, WITHDRAWN)
		.allow(SCHEDULED, DONE, WITHDRAWN, APPROVED)
		.build();
}
