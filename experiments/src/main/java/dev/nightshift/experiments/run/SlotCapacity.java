package dev.nightshift.experiments.run;

/** How many runs this server executes at once; the scheduler knows, the research loop plans with it. */
public interface SlotCapacity {

	int concurrentRuns();
}
