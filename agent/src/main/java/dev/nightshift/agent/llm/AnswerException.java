package dev.nightshift.agent.llm;

/** The model's answer is not the JSON that was asked for; the message says why, for the repair request. */
final class AnswerException extends RuntimeException {

	AnswerException(String message) {
		super(message);
	}
}
