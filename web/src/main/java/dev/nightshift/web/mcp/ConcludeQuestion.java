package dev.nightshift.web.mcp;

import java.util.Locale;
import java.util.Set;

import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An agent's conclusion on an open question: SUPPORTED, REFUTED or DEAD_END with why, as the LLM researcher's
 * reflection closes one. A REFUTED or DEAD_END question joins the dead-end log every proposer reads.
 */
@Service
class ConcludeQuestion {

	static final Set<QuestionStatus> OUTCOMES = Set.of(QuestionStatus.SUPPORTED, QuestionStatus.REFUTED,
			QuestionStatus.DEAD_END);

	private final QuestionRepository questions;

	ConcludeQuestion(QuestionRepository questions) {
		this.questions = questions;
	}

	record Command(QuestionId question, String outcome, String conclusion) {

		Command {
			if (outcome == null || OUTCOMES.stream().noneMatch(s -> s.name().equals(outcome.toUpperCase(Locale.ROOT)))) {
				throw new InvalidRequestException("status", "one-of",
						"status must be SUPPORTED, REFUTED or DEAD_END, got " + outcome);
			}
			if (conclusion == null || conclusion.isBlank()) {
				throw new InvalidRequestException("conclusion", "required", "say what the runs showed");
			}
			if (conclusion.length() > 4000) {
				throw new InvalidRequestException("conclusion", "max-length", "a conclusion has at most 4000 characters");
			}
		}

		QuestionStatus status() {
			return QuestionStatus.valueOf(outcome.toUpperCase(Locale.ROOT));
		}
	}

	/** @throws ConflictException when the question is closed already */
	@Transactional
	public Question conclude(Command command, String actor) {
		Question question = questions.require(command.question());
		if (question.status() != QuestionStatus.OPEN) {
			throw new ConflictException("Question " + command.question() + " is " + question.status()
					+ " already; only an open question is concluded");
		}
		question.close(command.status(), command.conclusion().strip(), actor);
		return questions.save(question);
	}
}
