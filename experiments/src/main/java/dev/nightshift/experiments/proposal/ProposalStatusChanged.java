package dev.nightshift.experiments.proposal;

import java.time.Instant;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.lifecycle.StatusChanged;

/** A proposal was made, approved, vetoed, rejected, scheduled, finished or withdrawn. */
public record ProposalStatusChanged(ProposalId proposalId, ExperimentId experimentId, ProposalStatus from,
		ProposalStatus to, String actor, String reason, Instant at) implements StatusChanged {

	@Override
	public String aggregate() {
		return "PROPOSAL";
	}

	@Override
	public long aggregateId() {
		return proposalId.value();
	}
}
