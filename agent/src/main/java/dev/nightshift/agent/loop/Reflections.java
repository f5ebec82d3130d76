package dev.nightshift.agent.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.Reflection;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.agent.Usage;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a run of a loop's proposal, asks the proposer what it taught about its question; an answer other than
 * OPEN closes the question with the proposer's conclusion (the LLM may close a question before the dead-end
 * rule would). Built-in strategies have nothing to say, and a loop started with {@code reflect: false} is not
 * asked; nor is anyone under an {@code external} loop (its agent concludes its questions over MCP), nor about a
 * crash whose fix is coming ({@link CrashDebugging}: the fix's run will speak for the question).
 * <p>Reflections never hold up proposals: they are asked on the {@link ModelCalls} executor behind any queued
 * proposal call, one call per experiment at a time. Runs that finish meanwhile pile up and go into the next
 * call together, up to {@link #BATCH}. A reflection that fails or times out only leaves its questions open.
 * What a call cost is shared out evenly among its runs ({@code run.reflection_*}).
 */
@Component
class Reflections {

	private static final Logger log = LoggerFactory.getLogger(Reflections.class);

	/** The most runs one reflection call judges. */
	static final int BATCH = 8;

	/** The statuses a reflection may close its question with, by name. */
	private static final Set<String> CLOSING = Arrays.stream(QuestionStatus.values())
		.filter(status -> status != QuestionStatus.OPEN)
		.map(Enum::name)
		.collect(Collectors.toUnmodifiableSet());

	private final RunRepository runs;
	private final ProposalRepository proposals;
	private final QuestionRepository questions;
	private final LoopRepository loops;
	private final ResearchContextBuilder contexts;
	private final ProposerChoice proposers;
	private final TransactionTemplate transactions;
	private final CrashDebugging debugging;
	private final ModelCalls calls;
	private final JdbcClient jdbc;
	private final Map<ExperimentId, Queue<RunId>> waiting = new ConcurrentHashMap<>();
	private final Set<ExperimentId> asking = ConcurrentHashMap.newKeySet();

	Reflections(RunRepository runs, ProposalRepository proposals, QuestionRepository questions, LoopRepository loops,
			ResearchContextBuilder contexts, ProposerChoice proposers, TransactionTemplate transactions,
			CrashDebugging debugging, ModelCalls calls, JdbcClient jdbc) {
		this.debugging = debugging;
		this.runs = runs;
		this.proposals = proposals;
		this.questions = questions;
		this.loops = loops;
		this.contexts = contexts;
		this.proposers = proposers;
		this.transactions = transactions;
		this.calls = calls;
		this.jdbc = jdbc;
	}

	/**
	 * Hands a judged run over for reflection and returns at once.
	 *
	 * @return whether it was handed over: false for a run outside a loop or of a loop without reflections
	 */
	boolean after(RunId id) {
		Run run = runs.require(id);
		Optional<Loop> loop = loops.findActive(run.experimentId().value());
		// Under an external agent the agent concludes its questions itself (over MCP).
		if (run.proposalId().isEmpty() || loop.isEmpty() || loop.get().external() || !loop.get().reflects()) {
			return false;
		}
		if (proposers.debugger().isPresent() && debugging.waitsForFix(loop.get(), id)) {
			// A crash whose fix is coming says nothing yet about its question: the fix's run will.
			return false;
		}
		waiting.computeIfAbsent(run.experimentId(), e -> new ConcurrentLinkedQueue<>()).add(id);
		drain(run.experimentId(), proposers.current());
		return true;
	}

	/** Starts a call on the runs waiting, unless one is on its way for the experiment (it drains them after). */
	private void drain(ExperimentId experiment, Proposer proposer) {
		Queue<RunId> queue = waiting.get(experiment);
		while (queue != null && !queue.isEmpty() && asking.add(experiment)) {
			List<RunId> batch = new ArrayList<>();
			for (RunId next = queue.poll(); next != null; next = batch.size() < BATCH ? queue.poll() : null) {
				batch.add(next);
			}
			if (batch.isEmpty()) {
				asking.remove(experiment);
				continue;
			}
			calls.forProposer(proposer, ModelCalls.Kind.REFLECTION).execute(() -> {
				try {
					reflectOn(experiment, batch, proposer);
				}
				catch (RuntimeException ex) {
					log.warn("Reflection on runs {} failed: {}", batch, ex.toString());
				}
				finally {
					asking.remove(experiment);
					drain(experiment, proposer);
				}
			});
			return;
		}
	}

	private void reflectOn(ExperimentId experiment, List<RunId> batch, Proposer proposer) {
		List<RunSummary> summaries = new ArrayList<>();
		for (RunId id : batch) {
			Run run = runs.require(id);
			Proposal proposal = proposals.require(run.proposalId().orElseThrow());
			Question question = questions.require(proposal.questionId());
			if (question.status() == QuestionStatus.OPEN) {
				summaries.add(new RunSummary(run.id().value(), proposal.id().value(), question.id().value(),
						run.kind().name(), run.status().name(), run.params(), run.objective().orElse(null), null,
						run.verdict().map(Enum::name).orElse(null), proposal.patch().orElse(null),
						run.error().orElse(null), run.finishedAt().orElse(null)));
			}
		}
		if (summaries.isEmpty()) {
			return;
		}
		List<Reflection> reflections = proposer.reflectAll(contexts.build(experiment, null, batch.get(0).value()),
				summaries);
		recordCost(summaries, reflections.stream().map(Reflection::usage).reduce(Usage.NONE, Usage::plus));
		Set<Long> asked = summaries.stream().map(RunSummary::questionId).collect(Collectors.toSet());
		// A reflection without a known closing status is no conclusion: the question stays open.
		reflections.stream()
			.filter(r -> r.status() != null && CLOSING.contains(r.status().toUpperCase(Locale.ROOT))
					&& asked.contains(r.questionId()))
			.forEach(r -> close(r, proposer));
	}

	private void close(Reflection reflection, Proposer proposer) {
		transactions.executeWithoutResult(tx -> {
			Question fresh = questions.require(new QuestionId(reflection.questionId()));
			QuestionStatus status = QuestionStatus.valueOf(reflection.status().toUpperCase(Locale.ROOT));
			if (fresh.status() == QuestionStatus.OPEN && QuestionStatus.TRANSITIONS.allows(QuestionStatus.OPEN, status)) {
				fresh.close(status, reflection.conclusion(), proposer.name());
				questions.save(fresh);
			}
		});
	}

	/** Shares what the call cost out evenly among the runs it judged. */
	private void recordCost(List<RunSummary> judged, Usage cost) {
		if (cost.inputTokens() == 0 && cost.outputTokens() == 0 && cost.costUsd() == 0) {
			return;
		}
		int n = judged.size();
		for (int i = 0; i < n; i++) {
			// The remainder of the token counts goes to the first run, so that the shares add up to the call.
			jdbc.sql("""
					update run set reflection_tokens_in = reflection_tokens_in + :in,
					  reflection_tokens_out = reflection_tokens_out + :out, reflection_cost_usd = reflection_cost_usd + :usd,
					  reflection_tokens_cached = reflection_tokens_cached + :cached
					where id = :id""")
				.param("in", share(cost.inputTokens(), n, i))
				.param("out", share(cost.outputTokens(), n, i))
				.param("usd", cost.costUsd() / n)
				.param("cached", share(cost.cachedTokens(), n, i))
				.param("id", judged.get(i).id())
				.update();
		}
	}

	private static long share(long total, int n, int index) {
		return total / n + (index == 0 ? total % n : 0);
	}
}
