package dev.nightshift.scheduler.execution;

import dev.nightshift.experiments.lifecycle.IllegalTransitionException;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.dispatch.RemoteExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Cancels a run: a queued one at once, a starting or running one by stopping its process tree (SIGTERM, then
 * SIGKILL after the grace period); it then ends CANCELLED.
 */
@Service
public class CancelRun {

	private final RunRepository runs;
	private final RunRecorder recorder;
	private final LocalExecutor executor;
	private final RemoteExecutor remote;

	CancelRun(RunRepository runs, RunRecorder recorder, LocalExecutor executor, ObjectProvider<RemoteExecutor> remote) {
		this.remote = remote.getIfAvailable();
		this.runs = runs;
		this.recorder = recorder;
		this.executor = executor;
	}

	/** What became of the request. */
	public enum Result {
		/** The run was queued and is now CANCELLED. */
		CANCELLED,
		/** The run's process is being stopped; it will end CANCELLED. */
		STOPPING
	}

	/**
	 * @throws IllegalTransitionException when the run has finished already
	 */
	public Result cancel(RunId id, String actor) {
		Run run = runs.require(id);
		if (run.status() == RunStatus.QUEUED) {
			recorder.cancelQueued(id, actor);
			return Result.CANCELLED;
		}
		if (run.status().isFinished()) {
			throw new IllegalTransitionException("run", run.status().name(), RunStatus.CANCELLED.name());
		}
		if (remote == null || !remote.cancel(id)) {
			executor.cancel(id);
		}
		return Result.STOPPING;
	}
}
