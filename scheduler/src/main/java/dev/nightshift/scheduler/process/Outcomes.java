package dev.nightshift.scheduler.process;

import dev.nightshift.experiments.run.RunStatus;

/**
 * The outcome of a finished training process (SPEC section 3). A pure function, so that a live run and a run
 * recovered after a restart get the same answer.
 */
public final class Outcomes {

	private Outcomes() {}

	/**
	 * The status a run ends in. In order: a cancelled run is CANCELLED, a run the pruning rule stopped PRUNED and a
	 * run stopped at its budget TIMED_OUT, whatever it printed while dying. An out-of-memory sign makes a run OOM unless it still exited 0 with a finite
	 * objective: programs that probe for the largest batch that fits catch OOM errors and go on. A non-zero exit is
	 * FAILED, except that a non-finite last objective makes it DIVERGED, because that is the more useful diagnosis
	 * when a program aborts on a NaN loss. After exit 0 a missing objective is NO_METRIC, a non-finite one DIVERGED,
	 * and a finite one SUCCEEDED. A run that ended with no exit status recorded (its wrapper could not write it, as on
	 * a full disk, or was killed) and no other sign is LOST rather than FAILED.
	 */
	public static RunStatus classify(ProcessResult result) {
		if (result.cancelled()) {
			return RunStatus.CANCELLED;
		}
		if (result.prunedBecause() != null) {
			return RunStatus.PRUNED;
		}
		if (result.timedOut()) {
			return RunStatus.TIMED_OUT;
		}
		boolean exitedCleanly = result.exitCode() != null && result.exitCode() == 0;
		boolean finiteObjective = result.objectiveSeen() && !result.objectiveNonFinite();
		if (result.oomDetected() && !(exitedCleanly && finiteObjective)) {
			return RunStatus.OOM;
		}
		if (!exitedCleanly) {
			if (result.objectiveNonFinite()) {
				return RunStatus.DIVERGED;
			}
			// No exit status though every process has ended: the wrapper could not record the end (a full disk,
			// or it was killed). Nobody knows how the command ended, so the run is not blamed for it.
			return result.exitCode() == null ? RunStatus.LOST : RunStatus.FAILED;
		}
		if (!result.objectiveSeen()) {
			return RunStatus.NO_METRIC;
		}
		return result.objectiveNonFinite() ? RunStatus.DIVERGED : RunStatus.SUCCEEDED;
	}
}
