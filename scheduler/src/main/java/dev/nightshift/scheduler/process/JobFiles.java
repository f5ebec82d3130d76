package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import dev.nightshift.scheduler.metrics.MetricsFileTailer;
import dev.nightshift.scheduler.metrics.ObjectiveTracker;
import dev.nightshift.scheduler.process.RunDirectory.Launch;
import dev.nightshift.scheduler.process.RunDirectory.StopReason;

/**
 * The run directory of a run that executes elsewhere (a Slurm job on another node), read from here. It is written
 * exactly as for a local run, with the same wrapper ({@link LaunchScript}) writing {@code pid}, {@code run.log} and
 * {@code exit}; the server only never holds the wrapper's process. {@link #poll()} tails the log and the metrics file
 * through the same scanner, batcher and objective tracker as {@link SupervisedRun}, so metrics, objectives and
 * outcomes are read exactly as for local runs. Not thread-safe: one follower thread polls it.
 */
public final class JobFiles implements AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();
	private static final long READ_PER_POLL = 16L * 1024 * 1024;

	private final RunDirectory dir;
	private final Launch launch;
	private final ObjectiveTracker objective;
	private final MetricBatcher batcher;
	private final LogScanner logScanner;
	private final MetricsFileTailer metricsFile;

	private JobFiles(RunDirectory dir, Launch launch, RunListener listener, TailPosition resumeFrom) {
		this.dir = dir;
		this.launch = launch;
		this.objective = new ObjectiveTracker(launch.objectiveMetric());
		this.batcher = new MetricBatcher(listener, objective, resumeFrom);
		this.logScanner = new LogScanner(dir.file(RunDirectory.LOG), batcher);
		this.metricsFile = new MetricsFileTailer(
				launch.metricsFile() != null ? launch.metricsFile() : dir.file(".no-metrics-file"));
	}

	/**
	 * Writes the launch record and the wrapper for {@code spec} into its run directory, without starting anything;
	 * returns the wrapper, which the job runs with {@code sh}.
	 *
	 * @throws IllegalStateException when the run directory was used before
	 */
	public static Path writeWrapper(LaunchSpec spec) throws IOException {
		RunDirectory dir = new RunDirectory(spec.runDir());
		Files.createDirectories(dir.path());
		if (dir.used()) {
			throw new IllegalStateException("run directory " + dir.path() + " was used before");
		}
		byte[] random = new byte[16];
		RANDOM.nextBytes(random);
		String cookie = HexFormat.of().formatHex(random);
		dir.writeLaunch(new Launch(Instant.now(), spec.budget(), spec.grace(), spec.objectiveMetric(),
				spec.metricsFile(), cookie));
		Path script = dir.file(RunDirectory.SCRIPT);
		Files.writeString(script, LaunchScript.render(dir, spec.command(), cookie, LaunchScript.locate("mv")));
		return script;
	}

	/**
	 * Follows the run in {@code runDir}: the log and metrics file from the start (so the objective is right), with
	 * only points after {@code resumeFrom} going to {@code listener}. Empty when nothing was ever launched there.
	 */
	public static Optional<JobFiles> follow(Path runDir, RunListener listener, TailPosition resumeFrom)
			throws IOException {
		RunDirectory dir = new RunDirectory(runDir);
		return dir.readLaunch().map(launch -> new JobFiles(dir, launch, listener, resumeFrom));
	}

	public Path runDir() {
		return dir.path();
	}

	/** Reads what the run printed since the last poll; returns how many bytes. */
	public long poll() throws IOException {
		long read = logScanner.poll(READ_PER_POLL) + metricsFile.poll(READ_PER_POLL, batcher::fromMetricsFile);
		batcher.flushIfDue();
		return read;
	}

	/** The exit status the wrapper recorded; empty while it runs, or when it was killed with the job. */
	public Optional<Integer> exitStatus() {
		return dir.exitStatus();
	}

	/** Records, before the job is signalled, that the server stops it at its budget. */
	public void recordTimeout() {
		recordOnce(StopReason.TIMEOUT, "");
	}

	/** Records, before the job is signalled, that someone cancelled it. */
	public void recordCancel() {
		recordOnce(StopReason.CANCEL, "");
	}

	/** Records, before the job is signalled, that the pruning rule stops it, and why. */
	public void recordPrune(String reason) {
		recordOnce(StopReason.PRUNE, reason);
	}

	/** Whether the server has recorded a reason to stop the run. */
	public boolean stopRecorded() {
		return dir.stopReason().isPresent();
	}

	private void recordOnce(StopReason reason, String detail) {
		if (dir.stopReason().isEmpty()) {
			dir.recordStop(reason, detail);
		}
	}

	/**
	 * Reads the rest of the log and the metrics file and returns what is known about the run now that its job has
	 * ended; a stop the server recorded wins over what the scheduler reports, as for local runs.
	 *
	 * @param schedulerTimedOut the scheduler stopped the job at its time limit
	 * @param schedulerOom      the scheduler killed the job for its memory
	 * @param schedulerCancelled the job was cancelled by someone other than this server
	 */
	public ProcessResult finish(boolean schedulerTimedOut, boolean schedulerOom, boolean schedulerCancelled)
			throws IOException, InterruptedException {
		logScanner.drain();
		metricsFile.drain(batcher::fromMetricsFile);
		batcher.flushAtEnd();
		StopReason stop = dir.stopReason().orElse(null);
		Integer exitCode = dir.exitStatus().orElse(null);
		boolean timedOut = stop == StopReason.TIMEOUT || stop == null && schedulerTimedOut;
		boolean cancelled = stop == StopReason.CANCEL || stop == null && schedulerCancelled && !schedulerOom;
		boolean pruned = stop == StopReason.PRUNE;
		return new ProcessResult(exitCode, timedOut, cancelled, objective.last(), objective.seen(),
				objective.lastNonFinite(), logScanner.oomSeen() || stop == null && schedulerOom, logScanner.lastBytes(),
				logScanner.bytesRead(), pruned ? dir.stopDetail() : null);
	}

	@Override
	public void close() throws IOException {
		try (logScanner; metricsFile) {
			// Both closed, the second even when the first fails.
		}
	}

	/** When the server launched the run (wrote its launch record). */
	public Instant launched() {
		return launch.started();
	}
}
