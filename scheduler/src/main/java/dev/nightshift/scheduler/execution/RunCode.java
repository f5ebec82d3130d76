package dev.nightshift.scheduler.execution;

import java.nio.file.Path;
import java.util.Optional;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.SourceRoots;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.scheduler.SchedulerProperties;
import dev.nightshift.scheduler.workspace.RunWorkspace;
import dev.nightshift.scheduler.workspace.Workspaces;
import org.springframework.stereotype.Component;

/**
 * Which code a run gets, and its checkout. Claiming a run and preparing it ahead of its claim both decide here,
 * so a checkout prepared ahead holds exactly the commit the claim would have made, as long as the claim finds
 * the same {@link Target}.
 */
@Component
class RunCode {

	/**
	 * The code of a run: its base commit, in full, and the patch on top ({@code null} for none). Equal targets
	 * give the same commit.
	 */
	record Target(long experimentId, String base, String patch) {
	}

	/** A run's checkout, and whether it holds code a proposal wrote (which decides the sandbox). */
	record Checkout(Target target, RunWorkspace workspace, boolean proposalCode) {
	}

	private final RunRepository runs;
	private final ProposalRepository proposals;
	private final Workspaces workspaces;
	private final SchedulerProperties properties;
	private final SourceRoots sources;

	RunCode(RunRepository runs, ProposalRepository proposals, Workspaces workspaces, SchedulerProperties properties,
			SourceRoots sources) {
		this.runs = runs;
		this.proposals = proposals;
		this.workspaces = workspaces;
		this.properties = properties;
		this.sources = sources;
	}

	/**
	 * The run's code as of now: a replicate runs the very commit of the run it repeats; anything else is the
	 * experiment's best plus the proposal's patch (the imported commit while there is no best). Imports the
	 * experiment's source first if that has not happened yet.
	 */
	Target target(Run run, Experiment experiment) {
		String proposedPatch = run.proposalId().map(proposals::require).flatMap(p -> p.patch()).orElse(null);
		Optional<Run> original = run.replicateOf().map(runs::require);
		String patch = original.isPresent() ? null : proposedPatch;
		long experimentId = experiment.id().value();
		workspaces.importSource(experimentId, source(experiment));
		String base = original.flatMap(Run::commit)
			.or(() -> experiment.bestRunId().flatMap(runs::findById).flatMap(Run::commit))
			.orElseGet(() -> workspaces.headCommit(experimentId));
		return new Target(experimentId, base, patch);
	}

	/**
	 * Checks the target out for the run.
	 * @throws dev.nightshift.scheduler.workspace.WorkspaceException when the patch does not apply
	 */
	Checkout checkout(RunId run, Target target) {
		// Decided by what runs, not by how it came: a kept patch is the base of later runs, and their code too.
		boolean proposalCode = target.patch() != null || !workspaces.isImported(target.experimentId(), target.base());
		RunWorkspace workspace = workspaces.prepareRun(target.experimentId(), run.value(), target.base(),
				target.patch());
		return new Checkout(target, workspace, proposalCode);
	}

	/** Removes what {@link #checkout} made for a run that has not started and will not start with it. */
	void discard(RunId run, long experimentId) {
		workspaces.discardUnstarted(experimentId, run.value());
	}

	private Path source(Experiment experiment) {
		String source = experiment.spec().source();
		// Checked again at import: the folder may have become a link since the experiment was registered.
		return source == null ? null : sources.check(properties.sourceRootPath().resolve(source).normalize());
	}
}
