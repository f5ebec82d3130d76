package dev.nightshift.experiments.experiment;

import java.time.Instant;
import java.util.Optional;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.spec.ExperimentSpec;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * One research campaign on one training program. Its specification is fixed at registration; what changes
 * over the night is which run is the best so far.
 */
@Entity
@Table(name = "experiment")
public class Experiment extends AbstractAggregateRoot<Experiment> {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String name;

	@Convert(converter = SpecConverter.class)
	@Column(name = "spec")
	private ExperimentSpec spec;

	private Long bestRunId;

	private String createdBy;

	private Instant createdAt;

	@Version
	private long version;

	protected Experiment() {
	}

	private Experiment(ExperimentSpec spec, String actor) {
		this.name = spec.name();
		this.spec = spec;
		this.createdBy = actor;
		this.createdAt = Instant.now();
	}

	/** A new experiment from a validated specification. */
	public static Experiment register(ExperimentSpec spec, String actor) {
		return new Experiment(spec, actor);
	}

	/** Moves the best run to {@code run}, whose code is {@code commit}; a KEEP verdict does this. */
	public void keep(RunId run, String commit) {
		this.bestRunId = run.value();
		registerEvent(new BestRunChanged(id(), run, commit));
	}

	public ExperimentId id() {
		return new ExperimentId(id);
	}

	public String name() {
		return name;
	}

	public ExperimentSpec spec() {
		return spec;
	}

	public Optional<Long> bestRunId() {
		return Optional.ofNullable(bestRunId);
	}

	public String createdBy() {
		return createdBy;
	}

	public Instant createdAt() {
		return createdAt;
	}
}
