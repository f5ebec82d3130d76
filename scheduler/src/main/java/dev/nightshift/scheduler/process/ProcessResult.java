package dev.nightshift.scheduler.process;

/**
 * What is known about a training process once it has ended; {@link Outcomes#classify} turns it into a run status.
 *
 * @param exitCode           the command's exit status, 128 + n when signal n killed it; null when the wrapper died
 *                           before it could record one
 * @param timedOut           stopped because it ran past its budget
 * @param cancelled          stopped because someone asked
 * @param objective          the last reported value of the objective metric; null when never reported
 * @param objectiveSeen      whether the objective was reported at all
 * @param objectiveNonFinite whether its last value was NaN or infinite
 * @param oomDetected        the log shows an out-of-memory error, or the command died of a SIGKILL nobody here sent
 * @param logTail            the last few kilobytes of the log, for crash excerpts
 * @param logBytes           the size of the log
 * @param prunedBecause      the pruning rule's reason when the server stopped it as hopeless; null otherwise
 */
public record ProcessResult(Integer exitCode, boolean timedOut, boolean cancelled, Double objective,
        boolean objectiveSeen, boolean objectiveNonFinite, boolean oomDetected, String logTail, long logBytes,
        String prunedBecause) {

	/** A result of a run that was not pruned. */
	public ProcessResult(Integer exitCode, boolean timedOut, boolean cancelled, Double objective, boolean objectiveSeen,
			boolean objectiveNonFinite, boolean oomDetected, String logTail, long logBytes) {
		this(exitCode, timedOut, cancelled, objective, objectiveSeen, objectiveNonFinite, oomDetected, logTail, logBytes,
				null);
	}
}
