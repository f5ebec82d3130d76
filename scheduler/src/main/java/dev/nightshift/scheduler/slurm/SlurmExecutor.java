package dev.nightshift.scheduler.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.Durations;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.scheduler.dispatch.DispatchTrigger;
import dev.nightshift.scheduler.dispatch.RemoteExecutor;
import dev.nightshift.scheduler.execution.RunPreparation;
import dev.nightshift.scheduler.execution.RunRecorder;
import dev.nightshift.scheduler.process.JobFiles;
import dev.nightshift.scheduler.process.ProcessResult;
import dev.nightshift.scheduler.process.RunListener;
import dev.nightshift.scheduler.process.TailPosition;
import dev.nightshift.scheduler.pruning.LivePruning;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import dev.nightshift.scheduler.sandbox.SandboxUnavailableException;
import dev.nightshift.scheduler.workspace.WorkspaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs the runs of Slurm experiments as one {@code sbatch} job each, keeping at most
 * {@code nightshift.slurm.max-jobs} submitted. A run is prepared as for a local run (checkout, parameters, run
 * contract, sandbox where the nodes have bubblewrap) in its run directory, which must be on a file system the nodes
 * share; then its job is submitted and followed by the {@link JobFollower}. The job id is stored on the run and in
 * the run directory, so a restarted server finds the job again ({@link #adopt}).
 */
class SlurmExecutor implements RemoteExecutor, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(SlurmExecutor.class);
	static final String SLOT = "slurm";

	private final Set<RunId> places = ConcurrentHashMap.newKeySet();
	private final Set<RunId> cancelBeforeSubmit = ConcurrentHashMap.newKeySet();
	private final ExecutorService submitters = Executors.newCachedThreadPool(daemon("nightshift-slurm-submit"));
	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("nightshift-slurm-follow"));
	private final SlurmProperties properties;
	private final String defaultExecutor;
	private final SandboxSupport nodes;
	private final SharedRoots sharedRoots;
	private final SlurmCommands commands;
	private final JobFollower follower;
	private final RunPreparation preparation;
	private final RunRecorder recorder;
	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final MetricPoints metrics;
	private final LivePruning pruning;
	private final DispatchTrigger trigger;

	SlurmExecutor(SlurmProperties properties, String defaultExecutor, SandboxSupport nodes, SlurmCommands commands,
			RunPreparation preparation, RunRecorder recorder, RunRepository runs, ExperimentRepository experiments,
			MetricPoints metrics, LivePruning pruning, DispatchTrigger trigger) {
		this.properties = properties;
		this.defaultExecutor = defaultExecutor;
		this.nodes = nodes;
		this.sharedRoots = new SharedRoots(properties.sharedRootPaths());
		this.commands = commands;
		this.preparation = preparation;
		this.recorder = recorder;
		this.runs = runs;
		this.experiments = experiments;
		this.metrics = metrics;
		this.pruning = pruning;
		this.trigger = trigger;
		this.follower = new JobFollower(new JobQueue(commands), commands, new JobFollower.Ending() {
			@Override
			public void started(RunId run, Instant at) {
				recorder.jobStarted(run, at);
			}

			@Override
			public RunStatus finished(RunId run, ProcessResult result, String budget) {
				RunStatus outcome = recorder.finished(run, result, budget);
				pruning.ended(run, outcome);
				return outcome;
			}

			@Override
			public void lost(RunId run, String reason) {
				recorder.lost(run, reason);
			}

			@Override
			public void freed(RunId run) {
				release(run);
			}
		});
		long every = properties.poll().toMillis();
		ticker.scheduleWithFixedDelay(this::tickSafely, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public boolean takes(ExperimentSpec spec) {
		return SLOT.equals(spec.execution().executorOr(defaultExecutor));
	}

	@Override
	public boolean anyFree() {
		return places.size() < properties.maxJobs();
	}

	@Override
	public synchronized boolean reserve(RunId run) {
		if (!anyFree()) {
			return false;
		}
		places.add(run);
		return true;
	}

	@Override
	public void release(RunId run) {
		if (places.remove(run)) {
			trigger.request();
		}
	}

	@Override
	public String slotName() {
		return SLOT;
	}

	/** How many runs this server may keep submitted. */
	int maxJobs() {
		return properties.maxJobs();
	}

	@Override
	public void start(RunId run) {
		submitters.execute(() -> submit(run));
	}

	@Override
	public boolean cancel(RunId run) {
		if (follower.stop(run, JobFiles::recordCancel)) {
			return true;
		}
		if (places.contains(run)) {
			// Claimed and not submitted yet: the submission sees this and records the run CANCELLED instead.
			cancelBeforeSubmit.add(run);
			return true;
		}
		return false;
	}

	private void submit(RunId id) {
		try {
			Experiment experiment = experiments.require(runs.require(id).experimentId());
			ExperimentSpec spec = experiment.spec();
			RunPreparation.Prepared prepared = preparation.prepareForJob(id, nodes);
			Path runDir = prepared.launch().runDir();
			sharedRoots.check(runDir);
			Path wrapper = JobFiles.writeWrapper(prepared.launch());
			int gpus = spec.resources().gpus();
			Path script = JobScript.write(prepared.launch(), wrapper, gpus);
			if (cancelBeforeSubmit.remove(id)) {
				recorder.finished(id, new ProcessResult(null, false, true, null, false, false, false, "", 0),
						prepared.budget());
				release(id);
				return;
			}
			SlurmCommands.Result sbatch = commands.run("sbatch",
					JobScript.sbatchArguments(id, prepared.launch(), script, gpus, spec.execution()));
			if (!sbatch.ok()) {
				throw new SlurmException("sbatch refused the job (exit " + sbatch.exitCode() + "): " + sbatch.err().strip());
			}
			String jobId = JobScript.jobId(sbatch.out());
			// Written before the database, so that a server dying in between still finds the job.
			Files.writeString(runDir.resolve(JobScript.JOB_ID), jobId + "\n");
			recorder.submitted(id, jobId, prepared.commit());
			log.info("Run {} submitted to Slurm as job {}", id, jobId);
			follow(id, jobId, runDir, prepared.launch().budget(), prepared.budget(), TailPosition.START);
			if (cancelBeforeSubmit.remove(id)) {
				cancel(id);
			}
		}
		catch (WorkspaceException | SlurmException ex) {
			fail(id, ex.getMessage());
		}
		catch (SandboxUnavailableException ex) {
			fail(id, "on the Slurm nodes: " + ex.getMessage());
		}
		catch (IOException | RuntimeException ex) {
			log.error("Run {} could not be submitted to Slurm", id, ex);
			fail(id, "the server could not submit it to Slurm: " + ex.getMessage());
		}
	}

	private void fail(RunId id, String reason) {
		cancelBeforeSubmit.remove(id);
		recorder.failedToStart(id, reason);
		release(id);
	}

	private void follow(RunId id, String jobId, Path runDir, java.time.Duration budget, String budgetText,
			TailPosition from) throws IOException {
		JobFiles files = JobFiles.follow(runDir, listenerFor(id), from)
			.orElseThrow(() -> new IllegalStateException("run " + id + " has no launch record in " + runDir));
		follower.follow(new JobFollower.Job(id, jobId, files, budget, budgetText));
	}

	/** Stores the run's metric points and shows them to the pruning rule, which may stop the job. */
	private RunListener listenerFor(RunId run) {
		AtomicInteger nextSeq = new AtomicInteger(metrics.nextSeq(run));
		return batch -> {
			nextSeq.set(recorder.metrics(run, batch, nextSeq.get()));
			pruning.observe(run, batch.points())
				.ifPresent(reason -> follower.stop(run, files -> files.recordPrune(reason)));
		};
	}

	@Override
	public boolean adopt(Run run) {
		Path runDir = preparation.runDirectory(run.id());
		boolean ours = run.slot().map(SLOT::equals).orElse(false) || Files.exists(runDir.resolve(JobScript.JOB_ID));
		if (!ours) {
			return false;
		}
		places.add(run.id());
		try {
			Optional<String> jobId = run.jobId().or(() -> readJobId(runDir));
			if (jobId.isEmpty()) {
				recorder.lost(run.id(), "the server stopped while submitting it to Slurm, before a job id was recorded");
				release(run.id());
				return true;
			}
			if (run.status() == RunStatus.STARTING) {
				recorder.submitted(run.id(), jobId.get(), null);
			}
			ExperimentSpec spec = experiments.require(run.experimentId()).spec();
			MetricPoints.Offsets offsets = metrics.offsets(run.id());
			follow(run.id(), jobId.get(), runDir, spec.budget().run(), Durations.format(spec.budget().run()),
					new TailPosition(offsets.log(), offsets.metrics()));
			log.info("Following run {} again: Slurm job {}", run.id(), jobId.get());
		}
		catch (IOException | RuntimeException ex) {
			log.error("Could not take up run {} on Slurm again", run.id(), ex);
			recorder.lost(run.id(), "the server could not follow its Slurm job again: " + ex.getMessage());
			release(run.id());
		}
		return true;
	}

	private static Optional<String> readJobId(Path runDir) {
		try {
			String text = Files.readString(runDir.resolve(JobScript.JOB_ID)).strip();
			return text.isEmpty() ? Optional.empty() : Optional.of(text);
		}
		catch (IOException absent) {
			return Optional.empty();
		}
	}

	private void tickSafely() {
		try {
			follower.tick();
		}
		catch (RuntimeException ex) {
			log.error("Following the Slurm jobs failed this round", ex);
		}
	}

	@Override
	public void destroy() {
		ticker.shutdownNow();
		submitters.shutdownNow();
		follower.detachAll();
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return task -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		};
	}
}
