package dev.nightshift.agent.validation;

import java.util.ArrayList;
import java.util.List;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.ProposalRejected;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.Usage;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records what proposers make. Each draft is validated; a valid one goes through {@link SubmitProposal} and waits
 * PROPOSED for a decision; an invalid one, or an agent error (a draft the proposer could not fill, whose raw
 * answer is kept), is recorded and at once REJECTED by {@code system} with the reason, which reaches the proposer
 * on its next call among the research context's vetoes. Every recorded proposal carries the tokens and cost of
 * its draft. Each draft has its own transaction, so one bad draft never loses the others.
 * <p>Every proposal belongs to a question. A rejected draft keeps the question it named when that exists (a dead
 * end included); a new question in its words is opened and at once ABANDONED, so it never shows as open; a draft
 * with no usable question goes under one ABANDONED question per experiment, {@link #NO_QUESTION}.
 * <p>People come in here too ({@link #submit}): one way in, one validator, for every proposal.
 */
@Service
public class ProposalIntake {

	/** The words of the question that holds agent errors and drafts without a question. */
	public static final String NO_QUESTION = "(proposals without a usable question: agent errors and rejected drafts)";

	static final String ACTOR = "system";

	private static final Logger log = LoggerFactory.getLogger(ProposalIntake.class);

	private final ProposalValidator validator;
	private final SubmitProposal submit;
	private final ExperimentRepository experiments;
	private final ProposalRepository proposals;
	private final QuestionRepository questions;
	private final TransactionTemplate transaction;
	private final ApplicationEventPublisher events;

	ProposalIntake(ProposalValidator validator, SubmitProposal submit, ExperimentRepository experiments,
			ProposalRepository proposals, QuestionRepository questions, PlatformTransactionManager transactions,
			ApplicationEventPublisher events) {
		this.events = events;
		this.validator = validator;
		this.submit = submit;
		this.experiments = experiments;
		this.proposals = proposals;
		this.questions = questions;
		this.transaction = new TransactionTemplate(transactions);
	}

	/** Asks {@code proposer} for up to {@code count} proposals and records them. */
	public List<Proposal> ask(Proposer proposer, ResearchContext context, int count) {
		return record(new ExperimentId(context.experimentId()), proposer.name(), proposer.propose(context, count));
	}

	/**
	 * Records the drafts, in order, as PROPOSED or REJECTED. The drafts of one call share what it cost evenly
	 * (a proposer may put a call's whole cost on its first draft), so that each proposal, and each run it makes,
	 * carries its part of the call.
	 *
	 * @param proposer who made them: {@code llm:<model>}, {@code strategy:<name>}
	 * @return the recorded proposals, one per draft
	 */
	public List<Proposal> record(ExperimentId experimentId, String proposer, List<ProposalDraft> drafts) {
		Experiment experiment = experiments.require(experimentId);
		Usage call = drafts.stream().map(ProposalDraft::usage).reduce(Usage.NONE, Usage::plus);
		List<Proposal> recorded = new ArrayList<>();
		for (int i = 0; i < drafts.size(); i++) {
			recorded.add(recordOne(experiment, proposer, drafts.get(i).withUsage(call.share(drafts.size(), i)), null));
		}
		return recorded;
	}

	/**
	 * Records a proposer's fix of {@code parent}, a proposal whose patch crashed, validated like any draft and
	 * recorded as its child whether it passes or not.
	 */
	public Proposal recordFix(ExperimentId experimentId, String proposer, ProposalId parent, ProposalDraft draft) {
		return recordOne(experiments.require(experimentId), proposer, draft, parent);
	}

	/**
	 * A person's proposal: the same validation as every proposer's, but a broken rule is refused instead of
	 * recorded as REJECTED, since the person is there to read why.
	 *
	 * @param proposer {@code human:<user>}
	 * @throws InvalidRequestException naming the field and the rule of every broken rule
	 */
	public Proposal submit(ExperimentId experimentId, String proposer, ProposalDraft draft) {
		Experiment experiment = experiments.require(experimentId);
		// Validation runs git for patches: outside any transaction.
		Validation validation = validator.validate(experiment, draft);
		if (!validation.valid()) {
			throw new InvalidRequestException(validation.violations());
		}
		return submitValid(experiment, proposer, draft, validation, null);
	}

	private Proposal recordOne(Experiment experiment, String proposer, ProposalDraft draft, ProposalId parent) {
		// Validation runs git for patches: outside any transaction.
		Validation validation = validator.validate(experiment, draft);
		if (!validation.valid()) {
			return rejected(experiment, proposer, draft, validation, validation.reason(), parent);
		}
		try {
			return submitValid(experiment, proposer, draft, validation, parent);
		}
		catch (InvalidRequestException ex) {
			// The world moved since validation (say, the question was closed meanwhile).
			return rejected(experiment, proposer, draft, validation, ex.getMessage(), parent);
		}
	}

	private Proposal submitValid(Experiment experiment, String proposer, ProposalDraft draft, Validation validation,
			ProposalId parent) {
		return transaction.execute(status -> {
			// The validated question: an id that names no question, given with words, became a new question.
			Proposal proposal = submit.submit(new SubmitProposal.Command(experiment.id(),
					validation.questionId() == null ? null : new QuestionId(validation.questionId()), draft.question(),
					new ProposalContent(validation.params(), validation.patch(), draft.rationale(), draft.expectedEffect()),
					proposer));
			proposal.recordAnswer(draft.usage().inputTokens(), draft.usage().outputTokens(), draft.usage().costUsd(),
					draft.rawAnswer());
			if (parent != null) {
				proposal.fixes(parent);
			}
			return proposals.save(proposal);
		});
	}

	private Proposal rejected(Experiment experiment, String proposer, ProposalDraft given, Validation checked,
			String givenReason, ProposalId parent) {
		// PostgreSQL stores no NUL character: a draft refused for carrying one is kept without it.
		ProposalDraft draft = new ProposalDraft(given.questionId(), withoutNul(given.question()), given.params(),
				withoutNul(given.patch()), withoutNul(given.rationale()), withoutNul(given.expectedEffect()),
				given.usage(), given.error(), withoutNul(given.rawAnswer()));
		Validation validation = new Validation(checked.params(), withoutNul(checked.patch()), checked.questionId(),
				checked.violations());
		String reason = withoutNul(givenReason);
		log.info("Rejected a proposal of {} for experiment {}: {}", proposer, experiment.id(), reason);
		Proposal recorded = transaction.execute(status -> {
			QuestionId question = questionOf(experiment, proposer, draft, validation, reason);
			Proposal proposal = Proposal.propose(experiment.id(), question, new ProposalContent(validation.params(),
					validation.patch(), draft.rationale(), draft.expectedEffect()), proposer);
			proposal.recordAnswer(draft.usage().inputTokens(), draft.usage().outputTokens(), draft.usage().costUsd(),
					draft.rawAnswer());
			if (parent != null) {
				proposal.fixes(parent);
			}
			proposal = proposals.save(proposal);
			proposal.reject(ACTOR, reason);
			return proposals.save(proposal);
		});
		List<String> rules = validation.violations().stream().map(Violation::rule).distinct().toList();
		events.publishEvent(new ProposalRejected(experiment.id().value(), proposer,
				rules.isEmpty() ? List.of("changed-meanwhile") : rules));
		return recorded;
	}

	private static String withoutNul(String text) {
		return text == null ? null : text.replace("\0", "");
	}

	private QuestionId questionOf(Experiment experiment, String proposer, ProposalDraft draft, Validation validation,
			String reason) {
		if (validation.questionId() != null) {
			return new QuestionId(validation.questionId());
		}
		String text = draft.failed() || draft.question() == null || draft.question().isBlank() ? null
				: draft.question().strip();
		if (text == null) {
			return abandoned(experiment, NO_QUESTION, ACTOR,
					"holds proposals whose answer could not be used or named no question; not a research question");
		}
		return questions.findFirstByExperimentIdAndStatusAndText(experiment.id().value(), QuestionStatus.OPEN, text)
			.map(Question::id)
			.orElseGet(() -> abandoned(experiment, text, proposer, "not studied: its proposal was rejected (" + reason + ")"));
	}

	/** The ABANDONED question with these words, opened and closed now unless one exists. */
	private QuestionId abandoned(Experiment experiment, String text, String actor, String conclusion) {
		return questions.findFirstByExperimentIdAndStatusAndText(experiment.id().value(), QuestionStatus.ABANDONED, text)
			.map(Question::id)
			.orElseGet(() -> {
				Question question = questions.save(Question.open(experiment.id(), null, text, actor));
				question.close(QuestionStatus.ABANDONED, conclusion, ACTOR);
				return questions.save(question).id();
			});
	}
}
