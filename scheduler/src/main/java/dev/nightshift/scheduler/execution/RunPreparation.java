package dev.nightshift.scheduler.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.spec.Durations;
import dev.nightshift.scheduler.SandboxProperties;
import dev.nightshift.scheduler.SchedulerProperties;
import dev.nightshift.scheduler.process.LaunchSpec;
import dev.nightshift.scheduler.sandbox.Bubblewrap;
import dev.nightshift.scheduler.sandbox.SandboxPolicy;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import dev.nightshift.scheduler.sandbox.SandboxUnavailableException;
import dev.nightshift.scheduler.slot.Slot;
import dev.nightshift.scheduler.workspace.RunWorkspace;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything between a claimed run and its process: the run's checkout of its commit (base plus patch; usually
 * prepared while the slot still trained, {@link WorkspacePrefetch}), the parameters file, the environment, and
 * the sandbox around the command.
 */
@Component
public class RunPreparation {

	/** What a prepared run starts with. */
	public record Prepared(LaunchSpec launch, String commit, String budget) {
	}

	private final JsonMapper json = JsonMapper.builder().build();
	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final RunCode code;
	private final WorkspacePrefetch prefetch;
	private final Bubblewrap bubblewrap;
	private final SandboxPolicy policy;
	private final SandboxSupport support;
	private final SchedulerProperties properties;
	private final NightshiftHome home;

	RunPreparation(RunRepository runs, ExperimentRepository experiments, RunCode code, WorkspacePrefetch prefetch,
			Bubblewrap bubblewrap, SandboxSupport support, SandboxProperties sandbox, SchedulerProperties properties,
			NightshiftHome home) {
		this.runs = runs;
		this.experiments = experiments;
		this.code = code;
		this.prefetch = prefetch;
		this.bubblewrap = bubblewrap;
		this.policy = new SandboxPolicy(sandbox.allRuns(), sandbox.required());
		this.support = support;
		this.properties = properties;
		this.home = home;
	}

	/** The run's own directory: its checkout, log, exit status and artifacts live here. */
	public Path runDirectory(RunId run) {
		return home.runsDirectory().resolve(Long.toString(run.value()));
	}

	/**
	 * @throws dev.nightshift.scheduler.workspace.WorkspaceException      when the source cannot be imported or
	 *                                                                    the patch does not apply
	 * @throws dev.nightshift.scheduler.sandbox.SandboxUnavailableException when the run's commit holds code from
	 *                                                                    a proposal and the sandbox cannot start
	 */
	// No transaction around it: each read is a short one of its own, and the git and file work holds none.
	public Prepared prepare(RunId id, List<Slot> slots) throws IOException {
		return prepare(id, slots, support, false);
	}

	/**
	 * Prepares a run that executes as a job on another machine (a Slurm node), whose bubblewrap can do what
	 * {@code nodes} says. The job's scheduler chooses its GPUs, so {@code CUDA_VISIBLE_DEVICES} is left empty
	 * here for the job to set; a sandboxed run, whose environment is fixed here, therefore cannot be given GPUs.
	 *
	 * @throws SandboxUnavailableException when the run needs the sandbox and the nodes cannot provide it, or
	 *                                     when it needs the sandbox and GPUs
	 */
	public Prepared prepareForJob(RunId id, SandboxSupport nodes) throws IOException {
		return prepare(id, List.of(), nodes, true);
	}

	private Prepared prepare(RunId id, List<Slot> slots, SandboxSupport support, boolean remote) throws IOException {
		Run run = runs.require(id);
		Experiment experiment = experiments.require(run.experimentId());
		RunCode.Target target = code.target(run, experiment);
		RunCode.Checkout checkout = prefetch.take(id, target).orElseGet(() -> code.checkout(id, target));
		SandboxPolicy.Isolation isolation = policy.decide(checkout.proposalCode(), support);
		if (remote && isolation == SandboxPolicy.Isolation.SANDBOX && experiment.spec().resources().gpus() > 0) {
			throw new SandboxUnavailableException("run " + id + " holds code a proposal wrote and asks for GPUs; on"
					+ " Slurm the sandbox cannot be given the GPUs the job is allocated, so it is not submitted");
		}
		RunWorkspace workspace = checkout.workspace();

		Path runDir = runDirectory(id);
		RunFolders folders = RunFolders.create(runDir);
		Files.writeString(runDir.resolve(RunContract.PARAMS_FILE), json.writeValueAsString(run.params()));

		var budget = experiment.spec().budget().run();
		// A run that asks for no GPU sees none, even on a GPU slot.
		boolean wantsGpus = experiment.spec().resources().gpus() > 0;
		Map<String, String> environment = RunContract.environment(id, run.params(), runDir, budget,
				wantsGpus ? Slot.cudaVisibleDevices(slots) : "");
		List<String> command = List.of("/bin/sh", "-c", experiment.spec().command());
		command = switch (isolation) {
			case SANDBOX -> {
				List<Integer> gpus = wantsGpus
						? slots.stream().filter(Slot::isGpu).map(slot -> slot.gpu().index()).toList() : List.of();
				List<Path> writable = folders.handOverToSandbox(workspace.dir());
				yield bubblewrap.wrap(command, runDir, writable, workspace.dir(), Bubblewrap.nvidiaDevicePaths(gpus),
						environment);
			}
			case CONTAINED -> bubblewrap.contain(command, workspace.dir());
			case PLAIN -> command;
		};
		LaunchSpec launch = new LaunchSpec(new ArrayList<>(command), workspace.dir(), runDir, environment, budget,
				properties.grace(), experiment.spec().objective().metric());
		return new Prepared(launch, workspace.commit(), Durations.format(budget));
	}
}
