package dev.nightshift.scheduler.process;

import dev.nightshift.experiments.run.RunStatus;

/**
 * The outcome of a finished training process (SPEC section 3). A pure function, so that a live run and a run
 * recovered after a restart get the same answer.
 */
public final class Outcomes {

	private Outcomes() {}

	/**
	 * The status a run ends in. In order: a cancelled run is CANCELLED and a run stopped at its budget TIMED_OUT,
	 * whatever it printed while dying. An out-of-memory sign makes a run OOM unless it still exited 0 with a finite
	 * objective: programs that probe for the largest batch that fits catch OOM errors and go on. A non-zero exit is
	 * FAILED, except that a non-finite last objective makes it DIVERGED, because that is the more useful diagnosis
	 * when a program aborts on a NaN loss. After exit 0 a missing objective is NO_METRIC, a non-finite one DIVERGED,
	 * and a finite one SUCCEEDED. LOST is never returned: it is for runs with no result at all.
	 */
	public static RunStatus classify(ProcessResult result) {
		if (result.cancelled()) {
			return RunStatus.CANCELLED;
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
			return result.objectiveNonFinite() ? RunStatus.DIVERGED : RunStatus.FAILED;
		}
		if (!result.objectiveSeen()) {
			return RunStatus.NO_METRIC;
		}
		return result.objectiveNonFinite() ? RunStatus.DIVERGED : RunStatus.SUCCEEDED;
	}
}
