package dev.nightshift.agent.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import dev.nightshift.agent.Crash;
import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.agent.llm.LlmResearcher;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopId;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.SlotCapacity;
import dev.nightshift.experiments.spec.ExperimentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One step of an overnight loop, taken whenever something may have changed. In order: end the loop if a stop
 * condition is met; answer the questions the evidence settles ({@link QuestionAnswers}); propose the baseline
 * (default parameters, unmodified code, with the replicates the experiment asks for) if the experiment has none;
 * and top up the proposals so that every slot plus {@code lookahead} more has a run running or ready, asking the
 * proposer while the GPUs train. New proposals are approved by the loop's policy or left for a person
 * ({@link LoopPolicy}); an {@code external} loop's proposer (an agent over MCP) is asked nothing. A patch that crashed is first shown to the LLM
 * for a fix ({@link CrashDebugging}), a call like any other. A proposer that keeps failing is rested and,
 * in the end, the loop paused ({@link ProposerBreaker}); calls to a model are capped per hour.
 * <p>A model's calls run on the {@link ModelCalls} executor, several at once: a step only plans. It counts the
 * proposals already asked for ({@link ProposalAsks}) as on their way, asks ahead as far as the model's latency
 * against the run duration needs ({@link ProposalPace}), and spreads what is missing over calls of at most the
 * proposer's cap. Each answer is recorded, judged and decided on the model's thread, then wakes the loop.
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
	private final LoopPolicy policy;
	private final ProposerChoice proposers;
	private final SlotCapacity capacity;
	private final TransactionTemplate transactions;
	private final JdbcClient jdbc;
	private final ProposerBreaker breaker;
	private final CrashDebugging debugging;
	private final ModelCalls calls;
	private final ProposalAsks asks;
	private final ProposalPace pace;
	private final ApplicationEventPublisher events;

	ResearchLoop(LoopRepository loops, ExperimentRepository experiments, RunRepository runs, LoopProgress progress,
			QuestionAnswers answers, ResearchContextBuilder contexts, ProposalIntake intake, LoopPolicy policy,
			ProposerChoice proposers, SlotCapacity capacity, TransactionTemplate transactions, JdbcClient jdbc,
			ProposerBreaker breaker, CrashDebugging debugging, ModelCalls calls, ProposalAsks asks, ProposalPace pace,
			ApplicationEventPublisher events) {
		this.loops = loops;
		this.experiments = experiments;
		this.runs = runs;
		this.progress = progress;
		this.answers = answers;
		this.contexts = contexts;
		this.intake = intake;
		this.policy = policy;
		this.proposers = proposers;
		this.capacity = capacity;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.breaker = breaker;
		this.debugging = debugging;
		this.calls = calls;
		this.asks = asks;
		this.pace = pace;
		this.events = events;
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
		policy.decideLeftBehind(loop);
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
		policy.proposeBaselineIfMissing(experiment, loop);
		if (loop.external()) {
			// An external agent's proposals come over MCP; the policy is applied to them by decideLeftBehind.
			return;
		}
		now = progress.of(loop);

		Optional<ProposerChoice.Turn> turn = proposers.turn(experiment.id());
		Proposer planner = turn.map(ProposerChoice.Turn::proposer).orElseGet(proposers::current);
		int slots = capacity.concurrentRuns(spec);
		// A built-in strategy answers at once: its lookahead is the loop's. A model's grows with its latency.
		int wanted = slots + (planner.costsCalls()
				? pace.lookahead(experiment.id(), planner.name(), slots, loop.lookahead()) : loop.lookahead());
		int ready = now.active() + now.approved() + now.awaitingApproval();
		int onTheirWay = asks.inFlight(id);
		Integer runsLeft = StopConditionCheck.runsLeft(loop, now);
		int missing = Math.max(0, wanted - ready - onTheirWay);
		if (runsLeft != null) {
			missing = Math.min(missing, Math.max(0, runsLeft - onTheirWay));
		}
		if (missing == 0) {
			return;
		}
		Optional<Crash> crash = proposers.debugger().flatMap(debugger -> debugging.next(loop));
		if (crash.isEmpty() && turn.isEmpty()) {
			log.debug("Loop {}: a code change awaits its verdict, which decides who proposes next", id);
			return;
		}
		Optional<Instant> resting = breaker.resting(loop);
		if (resting.isPresent()) {
			log.debug("Loop {}: {} failed lately and rests until {}", id, planner.name(), resting.get());
			return;
		}
		if (crash.isPresent()) {
			if (!askForFix(loop, experiment, proposers.debugger().orElseThrow(), crash.get(), now, runsLeft)) {
				return;
			}
			missing--;
		}
		if (turn.isPresent() && missing > 0) {
			askFor(loop, experiment, turn.get().proposer(), now, runsLeft, Math.min(missing, turn.get().limit()));
		}
	}

	/**
	 * Asks the LLM for the fix of a crashed patch, a call on the model executor like a proposal's (one proposal on
	 * its way); the crash is claimed here, so no later step asks about it again. A fix that comes back empty never
	 * ends the loop: the next step asks the proposer.
	 *
	 * @return false when the hourly ceiling is spent
	 */
	private boolean askForFix(Loop loop, Experiment experiment, LlmResearcher debugger, Crash crash,
			LoopProgress.Snapshot now, Integer runsLeft) {
		OptionalInt ceiling = proposers.callsPerHour(debugger);
		if (ceiling.isPresent() && !breaker.takeCall(loop.id(), ceiling.getAsInt())) {
			log.debug("Loop {}: the {} calls to {} this hour are spent", loop.id(), ceiling.getAsInt(), debugger.name());
			return false;
		}
		if (!debugging.claim(crash)) {
			return true;
		}
		long seed = experiment.id().value() * 1_000_003L + now.started() + now.awaitingApproval() * 31L;
		asks.asked(loop.id(), 1);
		calls.forProposer(debugger, ModelCalls.Kind.PROPOSAL)
			.execute(() -> call(loop.id(), loop.policy(), debugger, 1, false,
					() -> debugging.debug(debugger, crash, contexts.build(experiment.id(), runsLeft, seed))));
		return true;
	}

	/**
	 * Asks for {@code missing} proposals in calls of at most the proposer's cap each, every call counted against
	 * the hourly ceiling. A model's calls run on the model executor and this step goes on; a built-in strategy
	 * answers at once.
	 */
	private void askFor(Loop loop, Experiment experiment, Proposer proposer, LoopProgress.Snapshot now,
			Integer runsLeft, int missing) {
		LoopId id = loop.id();
		OptionalInt ceiling = proposers.callsPerHour(proposer);
		Executor executor = calls.forProposer(proposer, ModelCalls.Kind.PROPOSAL);
		for (int call = 0; missing > 0; call++) {
			if (ceiling.isPresent() && !breaker.takeCall(id, ceiling.getAsInt())) {
				log.debug("Loop {}: the {} calls to {} this hour are spent", id, ceiling.getAsInt(), proposer.name());
				return;
			}
			int count = Math.min(missing, proposer.maxProposalsPerCall());
			long seed = experiment.id().value() * 1_000_003L + now.started() + now.awaitingApproval() * 31L
					+ (asks.inFlight(id) + call) * 7_919L;
			asks.asked(id, count);
			ExperimentId experimentId = experiment.id();
			executor.execute(() -> call(id, loop.policy(), proposer, count, true, () -> {
				List<ProposalDraft> drafts = proposer.propose(contexts.build(experimentId, runsLeft, seed), count);
				List<Proposal> made = intake.record(experimentId, proposer.name(), drafts);
				CachedTokens.record(jdbc, made, drafts);
				return made;
			}));
			missing -= count;
		}
	}

	/**
	 * One call for {@code count} proposals, then what it made judged by the breaker and decided. Its latency
	 * (asking and recording: when the proposals are ready) is what {@link ProposalPace} plans with.
	 *
	 * @param mayEnd whether nothing made, with nothing else going, ends the loop
	 */
	private void call(LoopId id, ApprovalPolicy policy, Proposer proposer, int count, boolean mayEnd,
			Supplier<List<Proposal>> asking) {
		List<Proposal> made = List.of();
		boolean failed = false;
		try {
			long began = System.nanoTime();
			made = asking.get();
			if (proposer.costsCalls()) {
				pace.observed(proposer.name(), Duration.ofNanos(System.nanoTime() - began));
			}
			breaker.after(id, proposer.name(), made);
			for (Proposal proposal : made) {
				this.policy.decide(id, proposal, policy);
			}
			log.debug("Loop {} asked {} for {} proposals and got {}", id, proposer.name(), count, made.size());
		}
		catch (RuntimeException ex) {
			failed = true;
			log.error("Loop {}: asking {} failed", id, proposer.name(), ex);
			breaker.failed(id, proposer.name(), List.of("agent error: " + ex));
		}
		finally {
			settle(id, proposer, count, mayEnd && made.isEmpty() && !failed);
		}
	}

	/**
	 * The call's proposals are no longer on their way. A proposer with nothing new while nothing runs, nothing
	 * waits and no other call is on its way ends the loop: waiting would wait forever.
	 */
	private synchronized void settle(LoopId id, Proposer proposer, int count, boolean madeNothing) {
		asks.answered(id, count);
		if (madeNothing && asks.inFlight(id) == 0) {
			Loop loop = loops.findById(id.value()).orElse(null);
			if (loop != null && loop.status() == LoopStatus.RUNNING) {
				LoopProgress.Snapshot now = progress.of(loop);
				if (now.active() == 0 && now.approved() == 0 && now.awaitingApproval() == 0) {
					finish(id, proposer.name() + " has nothing new to propose: every value it can reach was tried or"
							+ " lies in a dead end");
					return;
				}
			}
		}
		if (proposer.costsCalls()) {
			// Another step may be due: the answer filled less than asked, or was rejected.
			events.publishEvent(new ProposalsAnswered(id));
		}
	}

	/** A call for proposals came back, whatever it made: the loop may take its next step. */
	record ProposalsAnswered(LoopId loop) {
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
