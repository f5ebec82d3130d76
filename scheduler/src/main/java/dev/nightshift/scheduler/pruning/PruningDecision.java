package dev.nightshift.scheduler.pruning;

import java.util.Objects;

/**
 * What a rule decided for a run at its latest point.
 *
 * @param prune whether the run should be stopped now
 * @param reason for a prune, a sentence that names the rule, the point and the numbers; empty otherwise
 */
public record PruningDecision(boolean prune, String reason) {

	private static final PruningDecision CONTINUE = new PruningDecision(false, "");

	public PruningDecision {
		Objects.requireNonNull(reason, "reason");
	}

	/** Let the run go on. */
	public static PruningDecision keepGoing() {
		return CONTINUE;
	}

	/** Stop the run, for {@code reason}. */
	public static PruningDecision prune(String reason) {
		return new PruningDecision(true, reason);
	}
}
