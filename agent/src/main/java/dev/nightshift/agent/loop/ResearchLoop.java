package dev.nightshift.agent.loop;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.nightshift.agent.Crash;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.agent.llm.LlmResearcher;
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
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.run.Run;
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
 * condition is met; answer the questions the evidence settles ({@link QuestionAnswers}); propose the baseline (default parameters, unmodified code, with the
 * replicates the experiment asks for) if the experiment has none; and top up the proposals so that every slot
 * plus {@code lookahead} more has a run running or ready, asking the proposer while the GPUs train. New
 * proposals are approved by the loop's policy or left for a person. A patch that crashed is first shown to the LLM
 * for a fix ({@link CrashDebugging}), a call like any other. A proposer that keeps failing is rested and,
 * in the end, the loop paused ({@link ProposerBreaker}); calls to a model are capped per hour.
 */
@Component
public class ResearchLoop {

	private static final Logger log = LoggerFactory.getLogger(ResearchLoop.class);

	private final LoopRepository loops;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final LoopProgress progress;
	private final QuestionAnswers answers;
	private final ResearchContextBuilder contexts;
	private final ProposalIntake intake;
	private final DecideProposal decide;
	private final SubmitProposal submit;
	private final ProposerChoice proposers;
	private final SlotCapacity capacity;
	private final TransactionTemplate transactions;
	private final JdbcClient jdbc;
	private final ProposalRepository proposals;
	private final ProposerBreaker breaker;
	private final CrashDebugging debugging;

	ResearchLoop(LoopRepository loops, ExperimentRepository experiments, RunRepository runs, LoopProgress progress,
			QuestionAnswers answers, ResearchContextBuilder contexts, ProposalIntake intake, DecideProposal decide,
			SubmitProposal submit, ProposerChoice proposers, SlotCapacity capacity, TransactionTemplate transactions,
			JdbcClient jdbc, ProposerBreaker breaker, ProposalRepository proposals, CrashDebugging debugging) {
		this.breaker = breaker;
		this.debugging = debugging;
		this.proposals = proposals;
		this.submit = submit;
		this.loops = loops;
		this.experiments = experiments;
		this.runs = runs;
		this.progress = progress;
		this.answers = answers;
		this.contexts = contexts;
		this.intake = intake;
		this.decide = decide;
		this.proposers = proposers;
		this.capacity = capacity;
		this.transactions = transactions;
		this.jdbc = jdbc;
	}

	/**
	 * Takes one step of the loop; a loop that is not RUNNING is left alone. Steps are taken one at a time, so
	 * that the breaker's count and the hourly ceiling see every call.
	 */
	public synchronized void advance(LoopId id) {
		Loop loop = loops.findById(id.value()).orElse(null);
		if (loop == null || loop.status() != LoopStatus.RUNNING) {
			return;
		}
		Experiment experiment = experiments.require(loop.experimentId());
		ExperimentSpec spec = experiment.spec();
		decideLeftBehind(loop);
		LoopProgress.Snapshot now = progress.of(loop);
		Double best = experiment.bestRunId().flatMap(runs::findById).flatMap(Run::objective).orElse(null);
		Optional<String> stop = StopConditionCheck.reason(loop, now, Math.max(1, spec.resources().gpus()),
				spec.objective().goal(), best, Instant.now());
		if (stop.isPresent()) {
			// The last runs may have answered a question: the dead-end log is complete when the loop ends.
			answers.close(experiment.id());
			finish(id, stop.get());
			return;
		}
		answers.close(experiment.id());
		proposeBaselineIfMissing(experiment, loop);
		now = progress.of(loop);

		int wanted = capacity.concurrentRuns(spec) + loop.lookahead();
		int ready = now.active() + now.approved() + now.awaitingApproval();
		Integer runsLeft = StopConditionCheck.runsLeft(loop, now);
		int missing = Math.max(0, wanted - ready);
		if (runsLeft != null) {
			missing = Math.min(missing, runsLeft);
		}
		if (missing == 0 || loop.external()) {
			// An external agent's proposals come over MCP; the policy is applied to them by decideLeftBehind.
			return;
		}
		Optional<Crash> crash = proposers.debugger().flatMap(debugger -> debugging.next(loop));
		Optional<ProposerChoice.Turn> turn = proposers.turn(experiment.id());
		if (crash.isEmpty() && turn.isEmpty()) {
			log.debug("Loop {}: a code change awaits its verdict, which decides who proposes next", id);
			return;
		}
		Proposer proposer = crash.isPresent() ? proposers.debugger().orElseThrow() : turn.get().proposer();
		Optional<Instant> resting = breaker.resting(loop);
		if (resting.isPresent()) {
			log.debug("Loop {}: {} failed lately and rests until {}", id, proposer.name(), resting.get());
			return;
		}
		OptionalInt ceiling = proposers.callsPerHour(proposer);
		if (ceiling.isPresent() && !breaker.takeCall(id, ceiling.getAsInt())) {
			log.debug("Loop {}: the {} calls to {} this hour are spent", id, ceiling.getAsInt(), proposer.name());
			return;
		}
		long seed = experiment.id().value() * 1_000_003L + now.started() + now.awaitingApproval() * 31L;
		int count = Math.min(missing, turn.map(ProposerChoice.Turn::limit).orElse(0));
		List<Proposal> made;
		try {
			made = ask(proposer, crash, contexts.build(experiment.id(), runsLeft, seed), count);
		}
		catch (RuntimeException ex) {
			log.error("Loop {}: asking {} failed", id, proposer.name(), ex);
			breaker.failed(id, proposer.name(), List.of("agent error: " + ex));
			return;
		}
		breaker.after(id, proposer.name(), made);
		if (made.isEmpty() && crash.isEmpty() && now.active() == 0 && now.approved() == 0 && now.awaitingApproval() == 0) {
			// Nothing runs, nothing waits and the proposer has nothing new: waiting would wait forever.
			finish(id, proposer.name() + " has nothing new to propose: every value it can reach was tried or lies"
					+ " in a dead end");
			return;
		}
		for (Proposal proposal : made) {
			if (proposal.status() == ProposalStatus.PROPOSED && approvedByPolicy(loop.policy(), proposal)) {
				decide.approve(proposal.id(), "policy:" + loop.policy().wireName());
			}
		}
		log.debug("Loop {} asked {} for {} proposals and got {}", id, proposer.name(), missing, made.size());
	}

	/** A crash waiting for a fix is this call's question to the LLM; otherwise the proposer proposes. */
	private List<Proposal> ask(Proposer proposer, Optional<Crash> crash, ResearchContext context, int count) {
		if (crash.isPresent() && proposer instanceof LlmResearcher debugger) {
			return debugging.debug(debugger, crash.get(), context);
		}
		return intake.ask(proposer, context, count);
	}

	/**
	 * Applies the policy to the proposers' proposals this loop left PROPOSED: a server killed between recording
	 * a proposal and approving it would otherwise leave it waiting for a person under {@code auto}, counted as
	 * ready, and the loop short of runs for ever. A person's proposal ({@code human:…}) always waits for a
	 * person; one decided meanwhile by someone else is left as it is.
	 */
	private void decideLeftBehind(Loop loop) {
		List<Long> waiting = jdbc.sql("""
				select id from proposal
				where experiment_id = :e and status = 'PROPOSED' and created_at >= :started
				  and proposer not like 'human:%'
				order by id""")
			.param("e", loop.experimentId().value())
			.param("started", java.sql.Timestamp.from(loop.startedAt()))
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

	private static boolean approvedByPolicy(ApprovalPolicy policy, Proposal proposal) {
		return policy == ApprovalPolicy.AUTO || policy == ApprovalPolicy.PARAMS_AUTO && proposal.patch().isEmpty();
	}

	/**
	 * The baseline is proposed once per experiment, by the first loop, and decided like any proposal: the
	 * policy approves it (it changes nothing), or under a manual policy it waits for a person. A vetoed baseline
	 * is not proposed again.
	 */
	private void proposeBaselineIfMissing(Experiment experiment, Loop loop) {
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
