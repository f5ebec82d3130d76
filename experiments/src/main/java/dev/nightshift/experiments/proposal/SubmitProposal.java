package dev.nightshift.experiments.proposal;

import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.question.Factors;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.shared.InvalidRequestException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records a proposal made by a person or a proposer: checks its parameters against the search space, ties it
 * to an existing open question or opens a new one, and leaves it PROPOSED for a decision. A new question names
 * the factors the proposal varies against the current best (its parameters that differ, and {@code code} for a
 * patch), and so its kind: one factor, or an exploration of several.
 */
@Service
public class SubmitProposal {

	private final ExperimentRepository experiments;
	private final QuestionRepository questions;
	private final ProposalRepository proposals;
	private final RunRepository runs;

	SubmitProposal(ExperimentRepository experiments, QuestionRepository questions, ProposalRepository proposals,
			RunRepository runs) {
		this.experiments = experiments;
		this.questions = questions;
		this.proposals = proposals;
		this.runs = runs;
	}

	/**
	 * What to propose.
	 *
	 * @param experimentId the experiment
	 * @param questionId   an existing OPEN question of the experiment, or null
	 * @param questionText the question in words when {@code questionId} is null; an OPEN question with the
	 *                     same words is reused
	 * @param content      the change and its rationale
	 * @param proposer     {@code human:<user>}, {@code llm:<model>} or {@code strategy:<name>}
	 */
	public record Command(ExperimentId experimentId, QuestionId questionId, String questionText,
			ProposalContent content, String proposer) {

		public Command {
			if (content.params().isEmpty() && content.patch() == null) {
				throw new InvalidRequestException("params", "not-empty",
						"a proposal must change parameters, code (patch), or both");
			}
			if (questionId == null && (questionText == null || questionText.isBlank())) {
				throw new InvalidRequestException("question", "required",
						"every proposal is tied to a research question: give its text or questionId");
			}
			if (content.rationale() == null || content.rationale().isBlank()) {
				throw new InvalidRequestException("rationale", "required", "say why this change is worth a run");
			}
		}
	}

	/**
	 * @throws InvalidRequestException when a parameter is unknown, of the wrong type or out of range, or the
	 *                                 question is not an open question of this experiment
	 */
	@Transactional
	public Proposal submit(Command command) {
		Experiment experiment = experiments.require(command.experimentId());
		Map<String, Object> params = ParameterCheck.normalise(experiment.spec(), command.content().params());
		Map<String, Object> base = experiment.bestRunId().flatMap(runs::findById).map(Run::params).orElse(Map.of());
		Question question = questionFor(command,
				Factors.varied(experiment.spec(), base, params, command.content().patch() != null));
		ProposalContent content = new ProposalContent(params, command.content().patch(),
				command.content().rationale().strip(), command.content().expectedEffect());
		return proposals.save(Proposal.propose(experiment.id(), question.id(), content, command.proposer()));
	}

	/** The question every baseline answers. */
	public static final String BASELINE_QUESTION = "What does the unmodified code score at its defaults, and how noisy is it?";

	/** Proposes the experiment's baseline: the unmodified code at default parameters, with its replicates. */
	@Transactional
	public Proposal submitBaseline(ExperimentId experimentId, String proposer) {
		Experiment experiment = experiments.require(experimentId);
		int replicates = Math.max(1, experiment.spec().noise().replicates());
		Question question = questions
			.findFirstByExperimentIdAndStatusAndText(experimentId.value(), QuestionStatus.OPEN, BASELINE_QUESTION)
			.orElseGet(() -> questions.save(Question.open(experimentId, null, BASELINE_QUESTION, proposer)));
		return proposals.save(Proposal.baseline(experimentId, question.id(), "Baseline first: " + replicates
				+ " run(s) of the unmodified code at the default parameters measure where we start and how noisy a run is",
				proposer));
	}

	private Question questionFor(Command command, List<String> factors) {
		if (command.questionId() != null) {
			Question question = questions.findById(command.questionId().value())
				.filter(q -> q.experimentId().equals(command.experimentId()))
				.orElseThrow(() -> new InvalidRequestException("questionId", "unknown",
						"question " + command.questionId() + " does not belong to experiment " + command.experimentId()));
			if (question.status() != QuestionStatus.OPEN) {
				throw new InvalidRequestException("questionId", "closed",
						"question " + question.id() + " is " + question.status() + ": " + question.conclusion().orElse(""));
			}
			return question;
		}
		String text = command.questionText().strip();
		return questions
			.findFirstByExperimentIdAndStatusAndText(command.experimentId().value(), QuestionStatus.OPEN, text)
			.orElseGet(() -> questions.save(Question.open(command.experimentId(), null, text, factors, command.proposer())));
	}
}
