package dev.nightshift.experiments.proposal;

import dev.nightshift.experiments.shared.InvalidRequestException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Approves or vetoes a PROPOSED proposal; the web layer and the approval policies both come here. */
@Service
public class DecideProposal {

	private final ProposalRepository proposals;

	DecideProposal(ProposalRepository proposals) {
		this.proposals = proposals;
	}

	/**
	 * Approves a PROPOSED proposal, exactly once: any other status is refused, and of two approvals racing each
	 * other the proposal's version lets one through and fails the other at the flush here.
	 *
	 * @throws dev.nightshift.experiments.lifecycle.IllegalTransitionException when it is not PROPOSED
	 * @throws org.springframework.orm.ObjectOptimisticLockingFailureException when it changed meanwhile
	 */
	@Transactional
	public Proposal approve(ProposalId id, String actor) {
		Proposal proposal = proposals.require(id);
		proposal.approve(actor);
		return proposals.saveAndFlush(proposal);
	}

	/**
	 * @throws InvalidRequestException when the reason is missing: a veto without one teaches the proposer
	 *                                 nothing
	 */
	@Transactional
	public Proposal veto(ProposalId id, String actor, String reason) {
		if (reason == null || reason.isBlank()) {
			throw new InvalidRequestException("reason", "required", "a veto needs a reason; it goes back to the proposer");
		}
		Proposal proposal = proposals.require(id);
		proposal.veto(actor, reason.strip());
		return proposals.save(proposal);
	}
}
