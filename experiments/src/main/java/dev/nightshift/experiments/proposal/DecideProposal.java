package dev.nightshift.experiments.proposal;

import dev.nightshift.experiments.shared.InvalidRequestException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Approves or vetoes a PROPOSED proposal; the web layer and the approval policies both come here. */
@Service
public class DecideProposal {

	/** Longest veto reason, in characters: it goes into the proposer's prompts. */
	public static final int MAX_REASON_CHARS = 4_000;

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
		if (reason.indexOf('\0') >= 0 || reason.length() > MAX_REASON_CHARS) {
			throw new InvalidRequestException("reason", "text", "a veto reason is text of at most " + MAX_REASON_CHARS
					+ " characters, without NUL characters");
		}
		Proposal proposal = proposals.require(id);
		proposal.veto(actor, reason.strip());
		return proposals.save(proposal);
	}
}
