package dev.nightshift.experiments.run;

import java.util.EnumSet;
import java.util.Set;

import dev.nightshift.experiments.lifecycle.TransitionTable;

/** The life of one run, from the queue to its outcome (SPEC section 3). */
public enum RunStatus {

	/** Waiting for a free slot. */
	QUEUED,
	/** Claimed by a slot; its workspace and process are being prepared. */
	STARTING,
	/** Its process is alive. */
	RUNNING,
	/** Exit 0 with a finite objective. */
	SUCCEEDED,
	/** Non-zero exit. */
	FAILED,
	/** Killed at its time budget. */
	TIMED_OUT,
	/** Exit 0, but the objective metric was never reported. */
	NO_METRIC,
	/** The objective became NaN or infinite. */
	DIVERGED,
	/** Out of memory: CUDA, MemoryError, or the kernel's OOM killer. */
	OOM,
	/**
	 * Stopped early by the experiment's pruning rule because its curve was hopeless next to the other runs'; its
	 * verdict is DISCARD, with the rule's reason. "No improvement", not a failure.
	 */
	PRUNED,
	/** Stopped on request. */
	CANCELLED,
	/** After a server crash nobody could tell what happened to it. */
	LOST;

	/** The outcomes: a run in one of these never moves again. */
	public static final Set<RunStatus> FINISHED = EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, NO_METRIC, DIVERGED, OOM,
			PRUNED, CANCELLED, LOST);

	/** The moves a run may make. */
	public static final TransitionTable<RunStatus> TRANSITIONS = TransitionTable.of("run", RunStatus.class)
		.allow(QUEUED, STARTING, CANCELLED)
		.allow(STARTING, RUNNING, FAILED, CANCELLED, LOST)
		.allow(RUNNING, SUCCEEDED, FAILED, TIMED_OUT, NO_METRIC, DIVERGED, OOM, PRUNED, CANCELLED, LOST)
		.build();

	public boolean isFinished() {
		return FINISHED.contains(this);
	}
}
