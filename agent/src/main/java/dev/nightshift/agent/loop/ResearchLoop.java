package dev.nightshift.agent.loop;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopId;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.SlotCapacity;
import dev.nightshift.experiments.spec.ExperimentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One step of an overnight loop, taken whenever something may have changed. In order: end the loop if a stop
 * condition is met; queue the baseline (default parameters, unmodified code, with the replicates the
 * experiment asks for) if the experiment has none; close dead ends; and top up the proposals so that every slot
 * plus {@code lookahead} more has a run running or ready, asking the proposer while the GPUs train. New
 * proposals are approved by the loop's policy or left for a person.
 */
@Component
public class ResearchLoop {

	private static final Logger log = LoggerFactory.getLogger(ResearchLoop.class);

	private final LoopRepository loops;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final LoopProgress progress;
	private final DeadEnds deadEnds;
	private final ResearchContextBuilder contexts;
	private final ProposalIntake intake;
	private final DecideProposal decide;
	private final ProposerChoice proposers;
	private final SlotCapacity capacity;
	private final TransactionTemplate transactions;
	private final JdbcClient jdbc;

	ResearchLoop(LoopRepository loops, ExperimentRepository experiments, RunRepository runs, LoopProgress progress,
			DeadEnds deadEnds, ResearchContextBuilder contexts, ProposalIntake intake, DecideProposal decide,
			ProposerChoice proposers, SlotCapacity capacity, TransactionTemplate transactions, JdbcClient jdbc) {
		this.loops = loops;
		this.experiments = experiments;
		this.runs = runs;
		this.progress = progress;
		this.deadEnds = deadEnds;
		this.contexts = contexts;
		this.intake = intake;
		this.decide = decide;
		this.proposers = proposers;
		this.capacity = capacity;
		this.transactions = transactions;
		this.jdbc = jdbc;
	}

	/** Takes one step of the loop; a loop that is not RUNNING is left alone. */
	public void advance(LoopId id) {
		Loop loop = loops.findById(id.value()).orElse(null);
		if (loop == null || loop.status() != LoopStatus.RUNNING) {
			return;
		}
		Experiment experiment = experiments.require(loop.experimentId());
		ExperimentSpec spec = experiment.spec();
		LoopProgress.Snapshot now = progress.of(loop);
		Double best = experiment.bestRunId().flatMap(runs::findById).flatMap(Run::objective).orElse(null);
		Optional<String> stop = StopConditionCheck.reason(loop, now, Math.max(1, spec.resources().gpus()),
				spec.objective().goal(), best, Instant.now());
		if (stop.isPresent()) {
			finish(id, stop.get());
			return;
		}
		deadEnds.close(experiment.id());
		queueBaselineIfMissing(experiment, loop, now);
		now = progress.of(loop);

		int wanted = capacity.concurrentRuns() + loop.lookahead();
		int ready = now.active() + now.approved() + now.awaitingApproval();
		Integer runsLeft = StopConditionCheck.runsLeft(loop, now);
		int missing = Math.max(0, wanted - ready);
		if (runsLeft != null) {
			missing = Math.min(missing, runsLeft);
		}
		if (missing == 0) {
			return;
		}
		Proposer proposer = proposers.current();
		long seed = experiment.id().value() * 1_000_003L + now.started() + now.awaitingApproval() * 31L;
		List<Proposal> made = intake.ask(proposer, contexts.build(experiment.id(), runsLeft, seed), missing);
		for (Proposal proposal : made) {
			if (proposal.status() == ProposalStatus.PROPOSED && approvedByPolicy(loop.policy(), proposal)) {
				decide.approve(proposal.id(), "policy:" + loop.policy().wireName());
			}
		}
		log.debug("Loop {} asked {} for {} proposals and got {}", id, proposer.name(), missing, made.size());
	}

	private static boolean approvedByPolicy(ApprovalPolicy policy, Proposal proposal) {
		return policy == ApprovalPolicy.AUTO || policy == ApprovalPolicy.PARAMS_AUTO && proposal.patch().isEmpty();
	}

	/** The baseline runs once per experiment, at the first loop: the unmodified code at default parameters. */
	private void queueBaselineIfMissing(Experiment experiment, Loop loop, LoopProgress.Snapshot now) {
		boolean hasBaseline = jdbc.sql("""
				select exists (select 1 from run where experiment_id = ? and kind = 'BASELINE'
				               and status not in ('CANCELLED', 'LOST'))""")
			.param(experiment.id().value())
			.query(Boolean.class)
			.single();
		if (hasBaseline) {
			return;
		}
		int replicates = Math.max(1, experiment.spec().noise().replicates());
		Integer limit = loop.stopConditions().maxRuns();
		int count = limit == null ? replicates : Math.min(replicates, Math.max(1, limit - now.started()));
		Map<String, Object> defaults = new java.util.LinkedHashMap<>();
		experiment.spec().parameters().forEach((name, parameter) -> defaults.put(name, parameter.defaultObject()));
		transactions.executeWithoutResult(tx -> {
			for (int i = 0; i < count; i++) {
				runs.save(Run.queue(experiment.id(), null, RunKind.BASELINE, defaults));
			}
		});
		log.info("Loop {} queued {} baseline run(s) of '{}'", loop.id(), count, experiment.name());
	}

	private void finish(LoopId id, String reason) {
		transactions.executeWithoutResult(tx -> {
			Loop loop = loops.findById(id.value()).orElseThrow();
			if (loop.status().isActive()) {
				loop.finish(reason);
				loops.save(loop);
			}
		});
		log.info("Loop {} finished: {}", id, reason);
	}
}
