package dev.nightshift.scheduler.execution;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.scheduler.dispatch.DispatchTrigger;
import dev.nightshift.scheduler.dispatch.RunStarter;
import dev.nightshift.scheduler.dispatch.SlotBoard;
import dev.nightshift.scheduler.process.ProcessResult;
import dev.nightshift.scheduler.process.RunListener;
import dev.nightshift.scheduler.process.RunSupervisor;
import dev.nightshift.scheduler.process.SupervisedRun;
import dev.nightshift.scheduler.pruning.LivePruning;
import dev.nightshift.scheduler.sandbox.SandboxUnavailableException;
import dev.nightshift.scheduler.slot.Slot;
import dev.nightshift.scheduler.workspace.WorkspaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Runs claimed runs as local processes, one supervising thread each, and frees their slots when they end.
 * The processes do not belong to this JVM: when the server stops or dies they go on, and the next start
 * takes them up again ({@link RunRecovery}).
 */
@Component
public class LocalExecutor implements RunStarter, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LocalExecutor.class);

	private final ExecutorService threads = Executors.newCachedThreadPool(new NamedThreads("nightshift-run-"));
	private final Map<RunId, SupervisedRun> supervised = new ConcurrentHashMap<>();
	private final Map<RunId, Boolean> cancelRequested = new ConcurrentHashMap<>();
	// A rule may decide before the run's supervision is registered here; the reason waits for it.
	private final Map<RunId, String> pruneRequested = new ConcurrentHashMap<>();
	private final RunPreparation preparation;
	private final RunRecorder recorder;
	private final RunSupervisor supervisor;
	private final MetricPoints metrics;
	private final SlotBoard board;
	private final DispatchTrigger trigger;
	private final LivePruning pruning;

	LocalExecutor(RunPreparation preparation, RunRecorder recorder, RunSupervisor supervisor, MetricPoints metrics,
			SlotBoard board, @Lazy DispatchTrigger trigger, LivePruning pruning) {
		this.preparation = preparation;
		this.recorder = recorder;
		this.supervisor = supervisor;
		this.metrics = metrics;
		this.board = board;
		this.trigger = trigger;
		this.pruning = pruning;
	}

	@Override
	public void start(RunId run, List<Slot> slots) {
		threads.execute(() -> execute(run, slots));
	}

	/** Asks a run that this executor supervises to stop; false when it supervises no such run. */
	public boolean cancel(RunId run) {
		cancelRequested.put(run, true);
		SupervisedRun process = supervised.get(run);
		if (process != null) {
			process.cancel();
			return true;
		}
		return false;
	}

	/** The process of a run this executor supervises now, for usage samples. */
	public Optional<SupervisedRun> process(RunId run) {
		return Optional.ofNullable(supervised.get(run));
	}

	/** Takes up a run found alive (or finished) after a restart; its slots are already on the board. */
	void resume(RunId run, SupervisedRun process, String budget) {
		supervised.put(run, process);
		applyPendingPrune(run, process);
		threads.execute(() -> {
			try {
				awaitAndRecord(run, process, budget);
			}
			finally {
				done(run);
			}
		});
	}

	/**
	 * The listener that stores a run's metric points, numbered after those already stored, and then shows them
	 * to the experiment's pruning rule, which may stop the run.
	 */
	RunListener listenerFor(RunId run) {
		AtomicInteger nextSeq = new AtomicInteger(metrics.nextSeq(run));
		return batch -> {
			nextSeq.set(recorder.metrics(run, batch, nextSeq.get()));
			pruning.observe(run, batch.points()).ifPresent(reason -> prune(run, reason));
		};
	}

	/** A rule that decided before the run's supervision was registered here is applied now. */
	private void applyPendingPrune(RunId run, SupervisedRun process) {
		String reason = pruneRequested.get(run);
		if (reason != null) {
			process.prune(reason);
		}
	}

	private void prune(RunId run, String reason) {
		pruneRequested.put(run, reason);
		SupervisedRun process = supervised.get(run);
		if (process != null) {
			process.prune(reason);
		}
	}

	private void execute(RunId run, List<Slot> slots) {
		try {
			RunPreparation.Prepared prepared;
			try {
				prepared = preparation.prepare(run, slots);
			}
			catch (WorkspaceException | SandboxUnavailableException ex) {
				recorder.failedToStart(run, ex.getMessage());
				return;
			}
			if (cancelRequested.remove(run) != null) {
				recorder.finished(run, cancelledBeforeStart(), prepared.budget());
				return;
			}
			SupervisedRun process = supervisor.start(prepared.launch(), listenerFor(run));
			supervised.put(run, process);
			recorder.started(run, process.pid(), prepared.commit());
			if (cancelRequested.containsKey(run)) {
				process.cancel();
			}
			applyPendingPrune(run, process);
			awaitAndRecord(run, process, prepared.budget());
		}
		catch (Exception ex) {
			log.error("Run {} failed in the server before its process could be supervised", run, ex);
			recorder.failedToStart(run, "the server could not start it: " + ex.getMessage());
		}
		finally {
			done(run);
		}
	}

	private void awaitAndRecord(RunId run, SupervisedRun process, String budget) {
		// Once every process of the run has ended, the next run may have the slot while the rest of this one's
		// log is read and its outcome recorded and judged. After a crash in between, recovery reads the
		// outcome from the run's files.
		process.processesEnded().thenRun(() -> {
			board.release(run);
			trigger.request();
		});
		try {
			ProcessResult result = process.await();
			pruning.ended(run, recorder.finished(run, result, budget));
		}
		catch (InterruptedException ex) {
			// The server is shutting down: the process goes on, and the next start takes it up.
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.error("Recording the end of run {} failed", run, ex);
		}
	}

	private void done(RunId run) {
		supervised.remove(run);
		cancelRequested.remove(run);
		pruneRequested.remove(run);
		board.release(run);
		trigger.request();
	}

	private static ProcessResult cancelledBeforeStart() {
		return new ProcessResult(null, false, true, null, false, false, false, "", 0);
	}

	@Override
	public void destroy() {
		supervised.values().forEach(SupervisedRun::detach);
		threads.shutdownNow();
	}
}
