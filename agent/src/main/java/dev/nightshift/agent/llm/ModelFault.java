package dev.nightshift.agent.llm;

import dev.nightshift.agent.Usage;

/**
 * A call to the model that gave nothing usable: a missing key, a fault that outlived its retries, or an answer
 * that stayed malformed after the repair. It carries what was spent and what the model said, and never leaves
 * this package: the researcher turns it into a failed draft.
 */
final class ModelFault extends RuntimeException {

	private final transient Usage usage;

	private final String rawAnswer;

	ModelFault(String message) {
		this(message, Usage.NONE, null);
	}

	ModelFault(String message, Usage usage, String rawAnswer) {
		super(message);
		this.usage = usage;
		this.rawAnswer = rawAnswer;
	}

	/** The same fault, with what the conversation spent and heard so far. */
	ModelFault with(Usage spent, String raw) {
		return new ModelFault(getMessage(), spent, raw);
	}

	Usage usage() {
		return usage;
	}

	String rawAnswer() {
		return rawAnswer;
	}
}
