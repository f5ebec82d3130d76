package dev.nightshift.scheduler.workspace;

import java.nio.file.Path;
import java.util.List;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.proposal.PatchCheck;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.scheduler.SchedulerProperties;
import org.springframework.stereotype.Component;

/**
 * The {@link PatchCheck} port on the experiments' managed repositories: a patch is applied exactly as a run
 * would apply it, to the given commit or else to the best run's commit (the imported code before any success),
 * without creating anything. The experiment's source is imported first if it was not yet.
 */
@Component
public class WorkspacePatchCheck implements PatchCheck {

	private final Workspaces workspaces;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final SchedulerProperties properties;

	WorkspacePatchCheck(Workspaces workspaces, ExperimentRepository experiments, RunRepository runs,
			SchedulerProperties properties) {
		this.workspaces = workspaces;
		this.experiments = experiments;
		this.runs = runs;
		this.properties = properties;
	}

	@Override
	public List<String> touchedFiles(ExperimentId experimentId, String baseCommit, String patch) {
		Experiment experiment = experiments.require(experimentId);
		long id = experimentId.value();
		try {
			workspaces.importSource(id, source(experiment));
			String base = baseCommit != null ? baseCommit
					: experiment.bestRunId().flatMap(runs::findById).flatMap(Run::commit)
						.orElseGet(() -> workspaces.headCommit(id));
			return workspaces.touchedFiles(id, base, patch);
		}
		catch (WorkspaceException ex) {
			throw new InvalidPatchException(ex.getMessage());
		}
	}

	private Path source(Experiment experiment) {
		String source = experiment.spec().source();
		return source == null ? null : properties.sourceRootPath().resolve(source).normalize();
	}
}
