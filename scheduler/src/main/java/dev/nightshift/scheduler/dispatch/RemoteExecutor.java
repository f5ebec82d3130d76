package dev.nightshift.scheduler.dispatch;

import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.spec.ExperimentSpec;

/**
 * An executor that runs some experiments' runs elsewhere (a Slurm cluster) with places of its own instead of this
 * machine's slots. The {@link Dispatcher} claims a run for it when it {@link #takes} the run's experiment and has a
 * place free; cancelling and the recovery after a restart ask it before the local executor.
 */
public interface RemoteExecutor {

	/** Whether the runs of an experiment with this spec execute here. */
	boolean takes(ExperimentSpec spec);

	/** Whether a place is free now. */
	boolean anyFree();

	/** Reserves a place for {@code run}; false when none is free. */
	boolean reserve(RunId run);

	/** Gives the run's place back (after a failed claim). */
	void release(RunId run);

	/** What a claimed run records as its slot. */
	String slotName();

	/** Executes a run claimed for a place reserved here; returns at once. */
	void start(RunId run);

	/** Asks a run executing here to stop; false when it is not one of this executor's runs. */
	boolean cancel(RunId run);

	/**
	 * After a restart, takes up a run a previous server left STARTING or RUNNING, when it is one of this executor's
	 * runs; false otherwise, and then the local recovery decides.
	 */
	boolean adopt(Run run);
}
