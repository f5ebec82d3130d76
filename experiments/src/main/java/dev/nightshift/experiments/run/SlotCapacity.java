package dev.nightshift.experiments.run;

/** How many runs this server executes at once; the scheduler knows, the research loop plans with it. */
public interface SlotCapacity {

	int concurrentRuns();

	/**
	 * How many runs of an experiment with this spec execute at once: its executor's places (this machine's slots,
	 * or the jobs a server keeps submitted to Slurm).
	 */
	default int concurrentRuns(dev.nightshift.experiments.spec.ExperimentSpec spec) {
		return concurrentRuns();
	}
}
