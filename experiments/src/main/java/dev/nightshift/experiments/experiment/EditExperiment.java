package dev.nightshift.experiments.experiment;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.SpecValidationException;
import dev.nightshift.experiments.spec.SpecViolation;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes an experiment's specification. A change of the brief, the budget or the noise settings only is made in
 * place: later runs use it, earlier ones ran under the old one. Any other change (the search space, the command,
 * the source, what is editable, the objective, resources, pruning) registers a new version: a new experiment
 * named {@code <name>-v<n>} that points at this one, so the runs, questions and best of the old version keep the
 * specification they were made under, and the new one starts its own history.
 */
@Service
public class EditExperiment {

	private static final Pattern VERSIONED = Pattern.compile("(.+)-v(\\d+)");

	private final ExperimentRepository experiments;
	private final SourceRoots sources;

	EditExperiment(ExperimentRepository experiments, SourceRoots sources) {
		this.experiments = experiments;
		this.sources = sources;
	}

	/** What an edit did: changed {@code experiment} in place, or registered it as a new version. */
	public record Edited(Experiment experiment, boolean newVersion) {
	}

	/**
	 * What {@link #edit} would do, without saving: {@code true} when it makes a new version.
	 *
	 * @throws SpecValidationException when the edited document renames the experiment or its source is refused
	 */
	@Transactional(readOnly = true)
	public boolean makesNewVersion(ExperimentId id, ExperimentSpec edited) {
		Experiment experiment = experiments.require(id);
		requireSameName(experiment, edited);
		if (edited.source() != null) {
			sources.resolve(edited.source());
		}
		return !Experiment.withSettingsOf(experiment.spec(), edited).equals(edited);
	}

	/**
	 * @throws SpecValidationException when the edited document renames the experiment or its source is refused
	 * @throws ConflictException       when someone else changed the experiment meanwhile
	 */
	@Transactional
	public Edited edit(ExperimentId id, ExperimentSpec edited, String actor) {
		Experiment experiment = experiments.require(id);
		if (!makesNewVersion(id, edited)) {
			experiment.editSettings(edited);
			try {
				return new Edited(experiments.saveAndFlush(experiment), false);
			}
			catch (ObjectOptimisticLockingFailureException ex) {
				throw new ConflictException("Experiment " + id + " changed meanwhile; reload it and edit again");
			}
		}
		ExperimentSpec renamed = rename(edited, nextName(experiment.name()));
		try {
			return new Edited(experiments.saveAndFlush(Experiment.newVersion(experiment, renamed, actor)), true);
		}
		catch (DataIntegrityViolationException raceWithAnotherVersion) {
			throw new ConflictException("An experiment named '" + renamed.name() + "' was registered meanwhile");
		}
	}

	private static void requireSameName(Experiment experiment, ExperimentSpec edited) {
		if (!experiment.name().equals(edited.name())) {
			throw new SpecValidationException(List.of(new SpecViolation("name", "unchanged",
					"an experiment keeps its name ('" + experiment.name() + "'); a new version is named for you")));
		}
	}

	/** {@code micro-gpt} → {@code micro-gpt-v2}, {@code micro-gpt-v2} → {@code micro-gpt-v3}, the first free one. */
	private String nextName(String name) {
		Matcher versioned = VERSIONED.matcher(name);
		String base = versioned.matches() ? versioned.group(1) : name;
		int n = versioned.matches() ? Integer.parseInt(versioned.group(2)) + 1 : 2;
		while (experiments.existsByName(base + "-v" + n)) {
			n++;
		}
		String candidate = base + "-v" + n;
		if (candidate.length() > 64) {
			throw new SpecValidationException(List.of(new SpecViolation("name", "pattern",
					"the new version's name '" + candidate + "' would be longer than 64 characters")));
		}
		return candidate;
	}

	private static ExperimentSpec rename(ExperimentSpec spec, String name) {
		return new ExperimentSpec(name, spec.source(), spec.command(), spec.editable(), spec.objective(),
				spec.budget(), spec.parameters(), spec.resources(), spec.noise(), spec.brief(), spec.pruning());
	}
}
