package dev.nightshift.experiments.experiment;

import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.SpecValidationException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers an experiment from a specification that has already been parsed and validated. */
@Service
public class RegisterExperiment {

	private final ExperimentRepository experiments;
	private final SourceRoots sources;

	RegisterExperiment(ExperimentRepository experiments, SourceRoots sources) {
		this.experiments = experiments;
		this.sources = sources;
	}

	/**
	 * @throws ConflictException       when an experiment with the same name exists
	 * @throws SpecValidationException when its {@code source} lies outside the allowed roots ({@link SourceRoots})
	 */
	@Transactional
	public Experiment register(ExperimentSpec spec, String actor) {
		check(spec);
		try {
			return experiments.saveAndFlush(Experiment.register(spec, actor));
		}
		catch (DataIntegrityViolationException raceWithAnotherRegistration) {
			throw new ConflictException("An experiment named '" + spec.name() + "' already exists");
		}
	}

	/**
	 * Everything {@link #register} checks beyond the specification's own rules, without saving: a page's
	 * "Validate" button asks this.
	 *
	 * @throws ConflictException       when an experiment with the same name exists
	 * @throws SpecValidationException when its {@code source} lies outside the allowed roots
	 */
	@Transactional(readOnly = true)
	public void check(ExperimentSpec spec) {
		if (spec.source() != null) {
			sources.resolve(spec.source());
		}
		if (experiments.existsByName(spec.name())) {
			throw new ConflictException("An experiment named '" + spec.name() + "' already exists");
		}
	}
}
