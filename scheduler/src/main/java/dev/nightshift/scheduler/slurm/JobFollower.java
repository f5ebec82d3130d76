package dev.nightshift.scheduler.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.process.JobFiles;
import dev.nightshift.scheduler.process.ProcessResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows this server's Slurm jobs: each {@link #tick()} asks Slurm about all of them at once ({@link JobQueue}),
 * reads what each run printed since the last tick, stops a run at its budget (Slurm's own time limit, budget plus
 * grace, is the backstop while the server is down), and records the end of every job that left the running states.
 */
final class JobFollower {

	private static final Logger log = LoggerFactory.getLogger(JobFollower.class);

	/** What Slurm's step daemon writes into the job's output when it kills the job for its memory. */
	private static final List<String> MEMORY_KILL_MARKERS = List.of("exceeded job memory limit",
			"exceeded memory limit", "oom-kill", "oom_kill", "out_of_memory");

	/** One followed job; its files are polled by the ticking thread only. */
	static final class Job {

		final RunId run;
		final String jobId;
		final JobFiles files;
		final Duration budget;
		final String budgetText;
		volatile Instant started;
		volatile boolean signalled;

		Job(RunId run, String jobId, JobFiles files, Duration budget, String budgetText) {
			this.run = run;
			this.jobId = jobId;
			this.files = files;
			this.budget = budget;
			this.budgetText = budgetText;
		}
	}

	/** Where a job's start and its result go. */
	interface Ending {

		/** Slurm started the job (it was pending until {@code at}): the run trains from then on. */
		void started(RunId run, Instant at);

		/** The job ended and its files say how; returns the outcome recorded. */
		RunStatus finished(RunId run, ProcessResult result, String budget);

		/** Nobody can tell how the run ended, or it ended through no fault of its own: LOST, requeued once. */
		void lost(RunId run, String reason);

		/** The job is over and recorded: its place is free. */
		void freed(RunId run);
	}

	private final Map<RunId, Job> jobs = new ConcurrentHashMap<>();
	private final JobQueue queue;
	private final SlurmCommands commands;
	private final Ending ending;

	JobFollower(JobQueue queue, SlurmCommands commands, Ending ending) {
		this.queue = queue;
		this.commands = commands;
		this.ending = ending;
	}

	void follow(Job job) {
		jobs.put(job.run, job);
	}

	Job job(RunId run) {
		return jobs.get(run);
	}

	int size() {
		return jobs.size();
	}

	/**
	 * Stops a followed job: {@code record} writes why into its run directory first (so that the reason survives a
	 * restart), then {@code scancel} signals it. Returns false when the run is not followed here.
	 */
	boolean stop(RunId run, Consumer<JobFiles> record) {
		Job job = jobs.get(run);
		if (job == null) {
			return false;
		}
		synchronized (job) {
			record.accept(job.files);
			if (!job.signalled) {
				job.signalled = true;
				SlurmCommands.Result result = commands.run("scancel", List.of(job.jobId));
				if (!result.ok()) {
					log.warn("scancel {} for run {} failed: {}", job.jobId, run, result.err().strip());
				}
			}
		}
		return true;
	}

	/** One round: one squeue call for every followed job, then the files of each. */
	synchronized void tick() {
		if (jobs.isEmpty()) {
			return;
		}
		Map<String, JobQueue.Observation> states;
		try {
			states = queue.observe(jobs.values().stream().map(job -> job.jobId).toList());
		}
		catch (SlurmException unreachable) {
			// The controller may be restarting: nothing is concluded, the files are still read.
			log.warn("Could not ask Slurm about {} jobs: {}", jobs.size(), unreachable.getMessage());
			states = Map.of();
		}
		for (Job job : List.copyOf(jobs.values())) {
			try {
				job.files.poll();
				JobQueue.Observation seen = states.get(job.jobId);
				if (seen == null) {
					continue;
				}
				if (seen.state().active()) {
					enforceBudget(job, seen);
				}
				else {
					end(job, seen.state());
				}
			}
			catch (IOException | RuntimeException ex) {
				log.error("Following run {} (Slurm job {}) failed this round", job.run, job.jobId, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void enforceBudget(Job job, JobQueue.Observation seen) {
		if (job.started == null && seen.state() == JobState.RUNNING && seen.started() != null) {
			// Recorded first: should that fail, the next tick tries again.
			ending.started(job.run, seen.started());
			job.started = seen.started();
		}
		if (job.started != null && !job.signalled && Instant.now().isAfter(job.started.plus(job.budget))) {
			log.info("Run {} (Slurm job {}) reached its budget of {}: cancelling the job", job.run, job.jobId,
					job.budgetText);
			stop(job.run, JobFiles::recordTimeout);
		}
	}

	private void end(Job job, JobState state) throws IOException, InterruptedException {
		jobs.remove(job.run);
		try (job.files) {
			boolean memoryKill = state == JobState.OUT_OF_MEMORY || memoryKillIn(job.files.runDir());
			switch (state.end()) {
				case LOST -> {
					job.files.finish(false, false, false);
					ending.lost(job.run, "its Slurm job " + job.jobId + " ended " + state + ", through no fault of the run");
				}
				case BY_FILES_OR_LOST -> {
					if (job.files.exitStatus().isEmpty() && !job.files.stopRecorded()) {
						job.files.finish(false, false, false);
						ending.lost(job.run, "its Slurm job " + job.jobId + " is unknown to Slurm and its wrapper recorded"
								+ " no exit status");
					}
					else {
						ending.finished(job.run, job.files.finish(false, memoryKill, false), job.budgetText);
					}
				}
				case TIMED_OUT -> ending.finished(job.run, job.files.finish(true, memoryKill, false), job.budgetText);
				case CANCELLED -> ending.finished(job.run, job.files.finish(false, memoryKill, true), job.budgetText);
				case OUT_OF_MEMORY -> ending.finished(job.run, job.files.finish(false, true, false), job.budgetText);
				default -> ending.finished(job.run, job.files.finish(false, memoryKill, false), job.budgetText);
			}
			log.info("Run {} (Slurm job {}) ended {}", job.run, job.jobId, state);
		}
		finally {
			ending.freed(job.run);
		}
	}

	/** Whether Slurm wrote into the job's output that it killed the job for exceeding its memory. */
	static boolean memoryKillIn(Path runDir) {
		Path output = runDir.resolve(JobScript.OUTPUT);
		try {
			if (!Files.isRegularFile(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
				return false;
			}
			byte[] bytes;
			try (var in = Files.newInputStream(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
				bytes = in.readNBytes(256 * 1024);
			}
			String text = new String(bytes, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
			return MEMORY_KILL_MARKERS.stream().anyMatch(text::contains);
		}
		catch (IOException unreadable) {
			return false;
		}
	}

	/** Closes the files of every followed job; the jobs go on, and the next start takes them up again. */
	void detachAll() {
		jobs.values().forEach(job -> {
			try {
				job.files.close();
			}
			catch (IOException ex) {
				log.debug("Closing the files of run {} failed", job.run, ex);
			}
		});
		jobs.clear();
	}
}
