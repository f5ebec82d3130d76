package dev.nightshift.scheduler.slurm;

import java.util.Locale;

/**
 * Every state a Slurm job can be in (Slurm 22.05 and later, as {@code squeue} and {@code scontrol} spell them), with
 * what it means for the run: still active, or ended and how. {@link #VANISHED} is Nightshift's own: the job is
 * unknown to Slurm, e.g. purged after {@code MinJobAge}, or the controller's state was lost.
 */
enum JobState {

	PENDING(End.ACTIVE), CONFIGURING(End.ACTIVE), RUNNING(End.ACTIVE), COMPLETING(End.ACTIVE), SUSPENDED(End.ACTIVE),
	STOPPED(End.ACTIVE), SIGNALING(End.ACTIVE), STAGE_OUT(End.ACTIVE), RESIZING(End.ACTIVE), REQUEUED(End.ACTIVE),
	REQUEUE_FED(End.ACTIVE), REQUEUE_HOLD(End.ACTIVE), RESV_DEL_HOLD(End.ACTIVE),

	/** Ended; how the command ended is in the files its wrapper wrote. */
	COMPLETED(End.BY_FILES), FAILED(End.BY_FILES), SPECIAL_EXIT(End.BY_FILES),
	/** Ended at its time limit (or its deadline): TIMED_OUT. */
	TIMEOUT(End.TIMED_OUT), DEADLINE(End.TIMED_OUT),
	/** Cancelled: by this server (its stop file says why) or by someone else. */
	CANCELLED(End.CANCELLED),
	/** Killed by Slurm for using more memory than it asked for: OOM. */
	OUT_OF_MEMORY(End.OUT_OF_MEMORY),
	/** Ended through no fault of the run: LOST, and its proposal queued again once. */
	NODE_FAIL(End.LOST), PREEMPTED(End.LOST), BOOT_FAIL(End.LOST), REVOKED(End.LOST),
	/** Slurm does not know the job: read from the files when the wrapper recorded an exit, else LOST. */
	VANISHED(End.BY_FILES_OR_LOST);

	/** What a state means for the run. */
	enum End {
		ACTIVE, BY_FILES, TIMED_OUT, CANCELLED, OUT_OF_MEMORY, LOST, BY_FILES_OR_LOST
	}

	private final End end;

	JobState(End end) {
		this.end = end;
	}

	End end() {
		return end;
	}

	boolean active() {
		return end == End.ACTIVE;
	}

	/**
	 * The state Slurm reports as {@code text}: its long form ({@code CANCELLED}), with or without the reason Slurm
	 * appends ({@code CANCELLED by 0}); a state this Slurm version adds and Nightshift does not know is taken as
	 * still active, so that a run is never ended on a guess.
	 */
	static JobState parse(String text) {
		String word = text.strip().split("[\\s+]", 2)[0].toUpperCase(Locale.ROOT);
		try {
			return valueOf(word);
		}
		catch (IllegalArgumentException unknown) {
			return RUNNING;
		}
	}
}
