package dev.nightshift.agent.loop;

import java.sql.Timestamp;
import java.util.List;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopId;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.SubmitProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A loop's approval policy applied to what its proposers made: a new proposal as its call comes back (on the model
 * executor), those an earlier step left PROPOSED, and the experiment's baseline, proposed once by the first loop.
 */
@Component
class LoopPolicy {

	private static final Logger log = LoggerFactory.getLogger(LoopPolicy.class);

	private final JdbcClient jdbc;
	private final ProposalRepository proposals;
	private final DecideProposal decide;
	private final SubmitProposal submit;

	LoopPolicy(JdbcClient jdbc, ProposalRepository proposals, DecideProposal decide, SubmitProposal submit) {
		this.jdbc = jdbc;
		this.proposals = proposals;
		this.decide = decide;
		this.submit = submit;
	}

	/**
	 * Approves a proposal the policy approves; one decided meanwhile (by a step's {@link #decideLeftBehind} or a
	 * person) is left as it is.
	 */
	void decide(LoopId loop, Proposal proposal, ApprovalPolicy policy) {
		if (proposal.status() != ProposalStatus.PROPOSED || !approvedByPolicy(policy, proposal)) {
			return;
		}
		try {
			decide.approve(proposal.id(), "policy:" + policy.wireName());
		}
		catch (RuntimeException decidedMeanwhile) {
			log.debug("Loop {}: proposal {} was decided meanwhile: {}", loop, proposal.id(), decidedMeanwhile.toString());
		}
	}

	/**
	 * Applies the policy to the proposers' proposals this loop left PROPOSED: a server killed between recording
	 * a proposal and approving it would otherwise leave it waiting for a person under {@code auto}, counted as
	 * ready, and the loop short of runs for ever. A person's proposal ({@code human:…}) always waits for a
	 * person; one decided meanwhile by someone else is left as it is.
	 */
	void decideLeftBehind(Loop loop) {
		List<Long> waiting = jdbc.sql("""
				select id from proposal
				where experiment_id = :e and status = 'PROPOSED' and created_at >= :started
				  and proposer not like 'human:%'
				order by id""")
			.param("e", loop.experimentId().value())
			.param("started", Timestamp.from(loop.startedAt()))
			.query(Long.class)
			.list();
		for (Long id : waiting) {
			Proposal proposal = proposals.require(new ProposalId(id));
			if (proposal.status() == ProposalStatus.PROPOSED && approvedByPolicy(loop.policy(), proposal)) {
				try {
					decide.approve(proposal.id(), "policy:" + loop.policy().wireName());
					log.info("Loop {}: approved proposal {}, left waiting by an earlier step", loop.id(), id);
				}
				catch (RuntimeException decidedMeanwhile) {
					log.debug("Loop {}: proposal {} was decided meanwhile: {}", loop.id(), id, decidedMeanwhile.toString());
				}
			}
		}
	}

	/**
	 * The baseline is proposed once per experiment, by the first loop, and decided like any proposal: the
	 * policy approves it (it changes nothing), or under a manual policy it waits for a person. A vetoed baseline
	 * is not proposed again.
	 */
	void proposeBaselineIfMissing(Experiment experiment, Loop loop) {
		boolean hasBaseline = jdbc.sql("""
				select exists (select 1 from proposal where experiment_id = :e and baseline
				               and status in ('PROPOSED', 'APPROVED', 'SCHEDULED', 'DONE', 'VETOED'))
				    or exists (select 1 from run where experiment_id = :e and kind = 'BASELINE'
				               and status not in ('CANCELLED', 'LOST'))""")
			.param("e", experiment.id().value())
			.query(Boolean.class)
			.single();
		if (hasBaseline) {
			return;
		}
		Proposal baseline = submit.submitBaseline(experiment.id(), "system");
		if (approvedByPolicy(loop.policy(), baseline)) {
			decide.approve(baseline.id(), "policy:" + loop.policy().wireName());
		}
		log.info("Loop {} proposed the baseline of '{}'", loop.id(), experiment.name());
	}

	private static boolean approvedByPolicy(ApprovalPolicy policy, Proposal proposal) {
		return policy == ApprovalPolicy.AUTO || policy == ApprovalPolicy.PARAMS_AUTO && proposal.patch().isEmpty();
	}
}
