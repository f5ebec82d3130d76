package dev.nightshift.experiments.proposal;

import dev.nightshift.experiments.experiment.ExperimentId;

/**
 * A proposal was cleared to run (by a person, a policy, or the re-queue after its run was lost): the scheduler
 * owes it a queued run. Recorded in the event publication registry with the approval, so a crash between the
 * commit and the queueing does not lose it.
 */
public record ProposalApproved(ProposalId proposalId, ExperimentId experimentId) {
}
