package dev.nightshift.agent.loop;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.Reflection;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a run of a loop's proposal, asks the proposer what it taught about its question; an answer other than
 * OPEN closes the question with the proposer's conclusion (the LLM may close a question before the dead-end
 * rule would). Built-in strategies have nothing to say.
 */
@Component
class Reflections {

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

	Reflections(RunRepository runs, ProposalRepository proposals, QuestionRepository questions, LoopRepository loops,
			ResearchContextBuilder contexts, ProposerChoice proposers, TransactionTemplate transactions,
			CrashDebugging debugging) {
		this.debugging = debugging;
		this.runs = runs;
		this.proposals = proposals;
		this.questions = questions;
		this.loops = loops;
		this.contexts = contexts;
		this.proposers = proposers;
		this.transactions = transactions;
	}

	void after(RunId id) {
		Run run = runs.require(id);
		Optional<Proposal> proposal = run.proposalId().map(proposals::require);
		Optional<Loop> loop = loops.findActive(run.experimentId().value());
		if (proposal.isEmpty() || loop.isEmpty()) {
			return;
		}
		if (proposers.debugger().isPresent() && debugging.waitsForFix(loop.get(), id)) {
			// A crash whose fix is coming says nothing yet about its question: the fix's run will.
			return;
		}
		Question question = questions.require(proposal.get().questionId());
		if (question.status() != QuestionStatus.OPEN) {
			return;
		}
		Proposer proposer = proposers.current();
		RunSummary summary = new RunSummary(run.id().value(), proposal.get().id().value(), question.id().value(),
				run.kind().name(), run.status().name(), run.params(), run.objective().orElse(null), null,
				run.verdict().map(Enum::name).orElse(null), proposal.get().patch().orElse(null), run.error().orElse(null),
				run.finishedAt().orElse(null));
		Optional<Reflection> reflection = proposer.reflect(contexts.build(run.experimentId(), null, id.value()), summary);
		// A reflection without a known closing status is no conclusion: the question stays open.
		reflection.filter(r -> r.status() != null && CLOSING.contains(r.status().toUpperCase(Locale.ROOT))
				&& r.questionId() == question.id().value())
			.ifPresent(r -> transactions.executeWithoutResult(tx -> {
				Question fresh = questions.require(question.id());
				QuestionStatus status = QuestionStatus.valueOf(r.status().toUpperCase(Locale.ROOT));
				if (fresh.status() == QuestionStatus.OPEN && QuestionStatus.TRANSITIONS.allows(QuestionStatus.OPEN, status)) {
					fresh.close(status, r.conclusion(), proposer.name());
					questions.save(fresh);
				}
			}));
	}
}
