package dev.nightshift.agent.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One step of an overnight loop, taken whenever something may have changed. In order: end the loop if a stop
 * condition is met; close dead ends; propose the baseline (default parameters, unmodified code, with the
 * replicates the experiment asks for) if the experiment has none; and top up the proposals so that every slot
 * plus {@code lookahead} more has a run running or ready, asking the proposer while the GPUs train. New
 * proposals are approved by the loop's policy or left for a person. A proposer that keeps failing is rested and,
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
	private final DeadEnds deadEnds;
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
	private final ModelCalls calls;
	private final ProposalAsks asks;
	private final ProposalPace pace;
	private final ApplicationEventPublisher events;

	ResearchLoop(LoopRepository loops, ExperimentRepository experiments, RunRepository runs, LoopProgress progress,
			DeadEnds deadEnds, ResearchContextBuilder contexts, ProposalIntake intake, DecideProposal decide,
			SubmitProposal submit, ProposerChoice proposers, SlotCapacity capacity, TransactionTemplate transactions,
			JdbcClient jdbc, ProposerBreaker breaker, ProposalRepository proposals, ModelCalls calls, ProposalAsks asks,
			ProposalPace pace, ApplicationEventPublisher events) {
		this.calls = calls;
		this.asks = asks;
		this.pace = pace;
		this.events = events;
		this.breaker = breaker;
		this.proposals = proposals;
		this.submit = submit;
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
			// The last runs may have settled a question: the dead-end log is complete when the loop ends.
			deadEnds.close(experiment.id());
			finish(id, stop.get());
			return;
		}
		deadEnds.close(experiment.id());
		proposeBaselineIfMissing(experiment, loop);
		now = progress.of(loop);

		Proposer proposer = proposers.current();
		int slots = capacity.concurrentRuns();
		// A built-in strategy answers at once: its lookahead is the loop's. A model's grows with its latency.
		int wanted = slots + (proposer.costsCalls()
				? pace.lookahead(experiment.id(), proposer.name(), slots, loop.lookahead()) : loop.lookahead());
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
		Optional<Instant> resting = breaker.resting(loop);
		if (resting.isPresent()) {
			log.debug("Loop {}: {} failed lately and rests until {}", id, proposer.name(), resting.get());
			return;
		}
		askFor(loop, experiment, proposer, now, runsLeft, missing);
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
			executor.execute(() -> ask(id, experiment.id(), loop.policy(), proposer, runsLeft, seed, count));
			missing -= count;
		}
	}

	/** One call for {@code count} proposals, then what it made recorded, judged by the breaker and decided. */
	private void ask(LoopId id, ExperimentId experiment, ApprovalPolicy policy, Proposer proposer, Integer runsLeft,
			long seed, int count) {
		List<Proposal> made = List.of();
		boolean failed = false;
		try {
			long began = System.nanoTime();
			List<ProposalDraft> drafts = proposer.propose(contexts.build(experiment, runsLeft, seed), count);
			if (proposer.costsCalls()) {
				pace.observed(proposer.name(), Duration.ofNanos(System.nanoTime() - began));
			}
			made = intake.record(experiment, proposer.name(), drafts);
			recordCachedTokens(made, drafts);
			breaker.after(id, proposer.name(), made);
			for (Proposal proposal : made) {
				if (proposal.status() == ProposalStatus.PROPOSED && approvedByPolicy(policy, proposal)) {
					approve(id, proposal, policy);
				}
			}
			log.debug("Loop {} asked {} for {} proposals and got {}", id, proposer.name(), count, made.size());
		}
		catch (RuntimeException ex) {
			failed = true;
			log.error("Loop {}: asking {} failed", id, proposer.name(), ex);
			breaker.failed(id, proposer.name(), List.of("agent error: " + ex));
		}
		finally {
			settle(id, proposer, count, made.isEmpty() && !failed);
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

	/** The prompt tokens read from the provider's cache, on the proposal that carries the call's cost. */
	private void recordCachedTokens(List<Proposal> made, List<ProposalDraft> drafts) {
		for (int i = 0; i < Math.min(made.size(), drafts.size()); i++) {
			long cached = drafts.get(i).usage().cachedTokens();
			if (cached > 0) {
				jdbc.sql("update proposal set tokens_cached = :cached where id = :id")
					.param("cached", cached)
					.param("id", made.get(i).id().value())
					.update();
			}
		}
	}

	private void approve(LoopId id, Proposal proposal, ApprovalPolicy policy) {
		try {
			decide.approve(proposal.id(), "policy:" + policy.wireName());
		}
		catch (RuntimeException decidedMeanwhile) {
			// A step's decideLeftBehind may have approved it first, or a person decided it.
			log.debug("Loop {}: proposal {} was decided meanwhile: {}", id, proposal.id(), decidedMeanwhile.toString());
		}
	}

	/** A call for proposals came back, whatever it made: the loop may take its next step. */
	record ProposalsAnswered(LoopId loop) {
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
