package dev.nightshift.experiments.question;

import dev.nightshift.experiments.lifecycle.TransitionTable;

/** Where a research question stands. Every status but OPEN is final. */
public enum QuestionStatus {

	/** Under study: proposals may still be tied to it. */
	OPEN,
	/** The evidence supports the hypothesis. */
	SUPPORTED,
	/** The evidence contradicts the hypothesis. */
	REFUTED,
	/** Tried enough without any improvement; not worth another run. */
	DEAD_END,
	/** Dropped without a conclusion. */
	ABANDONED;

	/** The moves a question may make. */
	public static final TransitionTable<QuestionStatus> TRANSITIONS = TransitionTable.of("question", QuestionStatus.class)
		.allow(OPEN, SUPPORTED, REFUTED, DEAD_END, ABANDONED)
		.build();

	/** Whether a question in this status is a dead end for the proposers. */
	public boolean isDeadEnd() {
		return this == DEAD_END || this == REFUTED;
	}
}
