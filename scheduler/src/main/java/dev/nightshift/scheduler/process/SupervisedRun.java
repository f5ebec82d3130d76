package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.nightshift.scheduler.metrics.MetricsFileTailer;
import dev.nightshift.scheduler.metrics.ObjectiveTracker;
import dev.nightshift.scheduler.process.RunDirectory.Launch;
import dev.nightshift.scheduler.process.RunDirectory.StopReason;

/**
 * One training process under supervision, whether this server started it or re-attached to it after a restart. A
 * thread of its own tails the log and the metrics file, enforces the time budget (SIGTERM to every process of the
 * run, SIGKILL after the grace period) and completes {@link #completion()} once the wrapper has recorded the exit and
 * nothing the run started is left. Losing this object, or the whole server, leaves the process running.
 */
public final class SupervisedRun {

	private static final Logger log = LoggerFactory.getLogger(SupervisedRun.class);

	// Bounds the work between two looks at the clock, so a flooding process cannot delay its own time-out for long.
	private static final long READ_PER_ROUND = 16L * 1024 * 1024;
	private static final long IDLE_WAIT_MILLIS = 100;
	// After SIGKILL the wrapper ends within milliseconds; if it does not, it is killed too and the exit is unknown.
	private static final long WRAPPER_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final RunDirectory dir;
	private final Launch launch;
	private final long pid;
	// Java's handle remembers the start time, so a pid reused after the wrapper died is not mistaken for it.
	private final Optional<ProcessHandle> wrapper;
	private final ProcessTreeKiller killer;
	private final MetricBatcher batcher;
	private final ObjectiveTracker objective;
	private final CompletableFuture<ProcessResult> completion = new CompletableFuture<>();
	private final CompletableFuture<Void> processesEnded = new CompletableFuture<>();
	private final Object wakeUp = new Object();
	private volatile boolean cancelRequested;
	private volatile String pruneReason;
	private volatile boolean detached;

	// Touched by the supervising thread only.
	private StopReason stop;
	private boolean termSent;
	private long termSentAt;
	private boolean killSent;
	private long killSentAt;

	/**
	 * @param wrapperLive whether {@code pid} is known to be the run's live wrapper; when not, the wrapper has ended
	 *                    and its pid may belong to someone else now
	 */
	SupervisedRun(RunDirectory dir, Launch launch, long pid, boolean wrapperLive, RunListener listener,
			TailPosition resumeFrom) {
		this.dir = dir;
		this.launch = launch;
		this.pid = pid;
		this.wrapper = wrapperLive ? ProcessHandle.of(pid) : Optional.empty();
		this.killer = new ProcessTreeKiller(pid, launch.cookie(), wrapperLive);
		this.objective = new ObjectiveTracker(launch.objectiveMetric());
		this.batcher = new MetricBatcher(listener, objective, resumeFrom);
	}

	void supervise() {
		// The idle wait is a safety net: the wrapper's end wakes the supervisor at once, so the slot is free
		// again within milliseconds of the run's end rather than up to an idle wait later.
		wrapper.ifPresent(handle -> handle.onExit().thenRun(this::wake));
		Thread thread = new Thread(this::run, "nightshift-run-" + dir.path().getFileName());
		// The server may exit while runs go on; the run's process does not need this thread.
		thread.setDaemon(true);
		thread.start();
	}

	/** The wrapper's process id, leader of the run's session. */
	public long pid() {
		return pid;
	}

	/** The live processes of the run now, its wrapper included; read from {@code /proc}, for usage samples. */
	public Set<Long> processes() {
		Set<Long> all = new TreeSet<>(killer.members());
		if (ProcFs.isRunning(pid)) {
			all.add(pid);
		}
		return all;
	}

	public Path runDir() {
		return dir.path();
	}

	/** Stops the run: SIGTERM to all of its processes, SIGKILL after the grace period. Returns at once. */
	public void cancel() {
		cancelRequested = true;
		wake();
	}

	/**
	 * Stops the run as hopeless, the way a time-out stops it (SIGTERM to all of its processes, SIGKILL after the
	 * grace period); {@code reason} is kept in the run directory, so the outcome is PRUNED even after a restart.
	 */
	public void prune(String reason) {
		pruneReason = reason;
		wake();
	}

	/**
	 * Stops supervising and leaves the process running, as a server shutting down should; {@link
	 * RunSupervisor#attach} takes it up again. Metrics read so far are delivered first; then {@link #completion()}
	 * fails with a {@link java.util.concurrent.CancellationException}.
	 */
	public void detach() {
		detached = true;
		wake();
	}

	/** Completes with the result once the process and everything it started have ended. */
	public CompletableFuture<ProcessResult> completion() {
		return completion;
	}

	/**
	 * Completes as soon as every process of the run has ended, before the rest of its log is read: the moment
	 * its slot is free. Never completes normally for a detached run.
	 */
	public CompletableFuture<Void> processesEnded() {
		return processesEnded;
	}

	/** Waits for the result. */
	public ProcessResult await() throws InterruptedException {
		try {
			return completion.get();
		} catch (ExecutionException failed) {
			throw new IllegalStateException("supervising " + dir.path() + " failed", failed.getCause());
		}
	}

	/** Waits at most {@code timeout} for the result. */
	public Optional<ProcessResult> await(Duration timeout) throws InterruptedException {
		try {
			return Optional.of(completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
		} catch (TimeoutException stillRunning) {
			return Optional.empty();
		} catch (ExecutionException failed) {
			throw new IllegalStateException("supervising " + dir.path() + " failed", failed.getCause());
		}
	}

	private void run() {
		try (LogScanner logScanner = new LogScanner(dir.file(RunDirectory.LOG), batcher);
				MetricsFileTailer metricsFile = new MetricsFileTailer(metricsFilePath())) {
			stop = dir.stopReason().orElse(null);
			while (!detached && wrapperRunning()) {
				long read = logScanner.poll(READ_PER_ROUND)
						+ metricsFile.poll(READ_PER_ROUND, batcher::fromMetricsFile);
				batcher.flushIfDue();
				enforceLimits();
				if (read == 0) {
					synchronized (wakeUp) {
						wakeUp.wait(IDLE_WAIT_MILLIS);
					}
				}
			}
			if (detached) {
				batcher.flush();
				processesEnded.cancel(false);
				completion.cancel(false);
				return;
			}
			// Whatever the command left behind gets the rest of the grace period, or a full one if none began.
			killer.killMembers(termSent ? remainingGrace() : launch.grace());
			processesEnded.complete(null);
			logScanner.drain();
			metricsFile.drain(batcher::fromMetricsFile);
			batcher.flushAtEnd();
			completion.complete(result(logScanner));
		} catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			processesEnded.completeExceptionally(interrupted);
			completion.completeExceptionally(interrupted);
		} catch (IOException | RuntimeException failure) {
			log.error("Supervising the run in {} failed; its process is left running", dir.path(), failure);
			processesEnded.completeExceptionally(failure);
			completion.completeExceptionally(failure);
		}
	}

	private void wake() {
		synchronized (wakeUp) {
			wakeUp.notifyAll();
		}
	}

	/** Whether the wrapper still runs; it is checked before its exit file so that an exit is never missed. */
	private boolean wrapperRunning() {
		// An unreaped zombie is still "alive" to Java; /proc tells it has ended.
		boolean alive = wrapper.map(ProcessHandle::isAlive).orElse(false) && ProcFs.isRunning(pid);
		return alive && dir.exitStatus().isEmpty();
	}

	private void enforceLimits() {
		long now = System.nanoTime();
		if (stop == null && cancelRequested) {
			stop = StopReason.CANCEL;
		} else if (stop == null && pruneReason != null) {
			stop = StopReason.PRUNE;
		} else if (stop == null && System.currentTimeMillis() >= launch.deadline().toEpochMilli()) {
			stop = StopReason.TIMEOUT;
		}
		if (stop == null) {
			return;
		}
		if (!termSent) {
			// Recorded first: a server that dies now still knows after its restart why the run ended.
			dir.recordStop(stop, stop == StopReason.PRUNE ? pruneReason : "");
			log.info("Stopping the run in {} ({}): SIGTERM", dir.path(), stop);
			killer.signalMembers(false);
			termSent = true;
			termSentAt = now;
		} else if (now - termSentAt >= launch.grace().toNanos()) {
			if (!killSent) {
				log.info("The run in {} outlived its grace period: SIGKILL", dir.path());
				killSent = true;
				killSentAt = now;
			}
			// Repeated every round: a forking process may have started new members since the last one.
			killer.signalMembers(true);
			if (now - killSentAt >= WRAPPER_PATIENCE_NANOS) {
				wrapper.ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	private Duration remainingGrace() {
		long left = launch.grace().toNanos() - (System.nanoTime() - termSentAt);
		return Duration.ofNanos(Math.max(0, left));
	}

	private Path metricsFilePath() {
		// Without a metrics file the tailer follows a name that never exists, which reads as empty.
		return launch.metricsFile() != null ? launch.metricsFile() : dir.file(".no-metrics-file");
	}

	private ProcessResult result(LogScanner logScanner) {
		Integer exitCode = dir.exitStatus().orElse(null);
		// A SIGKILL nobody here sent is, on a training machine, almost always the kernel's OOM killer.
		boolean killedFromOutside = stop == null && exitCode != null && exitCode == 128 + 9;
		return new ProcessResult(exitCode, stop == StopReason.TIMEOUT, stop == StopReason.CANCEL, objective.last(),
				objective.seen(), objective.lastNonFinite(), logScanner.oomSeen() || killedFromOutside,
				logScanner.lastBytes(), logScanner.bytesRead(), stop == StopReason.PRUNE ? dir.stopDetail() : null);
	}
}
