package dev.nightshift.experiments.loop;

import dev.nightshift.experiments.lifecycle.TransitionTable;

/** The life of an overnight loop. */
public enum LoopStatus {

	/** Proposing and running. */
	RUNNING,
	/** Holding: nothing new starts until it resumes. */
	PAUSED,
	/** Stopped by a person. */
	STOPPED,
	/** A stop condition was met. */
	FINISHED;

	/** The moves a loop may make. */
	public static final TransitionTable<LoopStatus> TRANSITIONS = TransitionTable.of("loop", LoopStatus.class)
		.allow(RUNNING, PAUSED, STOPPED, FINISHED)
		.allow(PAUSED, RUNNING, STOPPED, FINISHED)
		.build();

	/** Whether the loop is not over. */
	public boolean isActive() {
		return this == RUNNING || this == PAUSED;
	}
}
