package dev.nightshift.scheduler.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.SourceRoots;
import dev.nightshift.experiments.proposal.ProposalRepository;
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
import dev.nightshift.scheduler.slot.Slot;
import dev.nightshift.scheduler.workspace.RunWorkspace;
import dev.nightshift.scheduler.workspace.Workspaces;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything between a claimed run and its process: the experiment's managed repository, the run's commit
 * (base plus patch), the parameters file, the environment, and the sandbox around the command.
 */
@Component
class RunPreparation {

	/** What a prepared run starts with. */
	record Prepared(LaunchSpec launch, String commit, String budget) {
	}

	private final JsonMapper json = JsonMapper.builder().build();
	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final ProposalRepository proposals;
	private final Workspaces workspaces;
	private final Bubblewrap bubblewrap;
	private final SandboxPolicy policy;
	private final SandboxSupport support;
	private final SchedulerProperties properties;
	private final NightshiftHome home;
	private final SourceRoots sources;

	RunPreparation(RunRepository runs, ExperimentRepository experiments, ProposalRepository proposals,
			Workspaces workspaces, Bubblewrap bubblewrap, SandboxSupport support, SandboxProperties sandbox,
			SchedulerProperties properties, NightshiftHome home, SourceRoots sources) {
		this.runs = runs;
		this.experiments = experiments;
		this.proposals = proposals;
		this.workspaces = workspaces;
		this.bubblewrap = bubblewrap;
		this.policy = new SandboxPolicy(sandbox.allRuns(), sandbox.required());
		this.support = support;
		this.properties = properties;
		this.home = home;
		this.sources = sources;
	}

	/** The run's own directory: its checkout, log, exit status and artifacts live here. */
	Path runDirectory(RunId run) {
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
		Run run = runs.require(id);
		Experiment experiment = experiments.require(run.experimentId());
		String proposedPatch = run.proposalId().map(proposals::require).flatMap(p -> p.patch()).orElse(null);
		// A replicate runs the very commit of the run it repeats; anything else is the best plus the patch.
		Optional<Run> original = run.replicateOf().map(runs::require);
		String patch = original.isPresent() ? null : proposedPatch;

		long experimentId = experiment.id().value();
		workspaces.importSource(experimentId, source(experiment));
		String base = original.flatMap(Run::commit)
			.or(() -> experiment.bestRunId().flatMap(runs::findById).flatMap(Run::commit))
			.orElseGet(() -> workspaces.headCommit(experimentId));
		// Decided by what runs, not by how it came: a kept patch is the base of later runs, and their code too.
		boolean proposalCode = patch != null || !workspaces.isImported(experimentId, base);
		SandboxPolicy.Isolation isolation = policy.decide(proposalCode, support);
		RunWorkspace workspace = workspaces.prepareRun(experimentId, id.value(), base, patch);

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

	private Path source(Experiment experiment) {
		String source = experiment.spec().source();
		// Checked again at import: the folder may have become a link since the experiment was registered.
		return source == null ? null : sources.check(properties.sourceRootPath().resolve(source).normalize());
	}
}
