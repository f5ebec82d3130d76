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
 * One research campaign on one training program. What changes over the night is which run is the best so far.
 * Of its specification only the brief, the budget and the noise settings may be edited in place
 * ({@link #editSettings}); any other change (search space, command, ...) is a new experiment, a new version
 * pointing at this one ({@link #newVersion}), so the runs made here keep the specification they ran under.
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

	private Long previousId;

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

	/** The next version of {@code previous}: a new experiment under its own name, with a changed specification. */
	public static Experiment newVersion(Experiment previous, ExperimentSpec spec, String actor) {
		Experiment next = new Experiment(spec, actor);
		next.previousId = previous.id;
		return next;
	}

	/**
	 * Takes the brief, budget and noise settings of {@code edited}; the rest of the specification stays.
	 *
	 * @throws IllegalArgumentException when {@code edited} differs in anything else
	 */
	public void editSettings(ExperimentSpec edited) {
		ExperimentSpec next = withSettingsOf(spec, edited);
		if (!next.equals(edited)) {
			throw new IllegalArgumentException("only brief, budget and noise may change in place");
		}
		this.spec = next;
	}

	/** {@code base} with the brief, budget and noise settings of {@code settings}. */
	public static ExperimentSpec withSettingsOf(ExperimentSpec base, ExperimentSpec settings) {
		return new ExperimentSpec(base.name(), base.source(), base.command(), base.editable(), base.objective(),
				settings.budget(), base.parameters(), base.resources(), settings.noise(), settings.brief(),
				base.pruning());
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

	/** The experiment this one is a new version of, if any. */
	public Optional<ExperimentId> previousId() {
		return Optional.ofNullable(previousId).map(ExperimentId::new);
	}

	public String createdBy() {
		return createdBy;
	}

	public Instant createdAt() {
		return createdAt;
	}
}
