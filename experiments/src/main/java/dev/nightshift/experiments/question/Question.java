package dev.nightshift.experiments.question;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.experiment.ExperimentId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * A hypothesis under study, possibly refining a parent question. It names the factors its change varies and so
 * its kind: only runs that isolate those factors are evidence for or against it.
 */
@Entity
@Table(name = "question")
public class Question extends AbstractAggregateRoot<Question> {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private long experimentId;

	private Long parentId;

	private String text;

	@Enumerated(EnumType.STRING)
	private QuestionStatus status;

	private String conclusion;

	@JdbcTypeCode(SqlTypes.ARRAY)
	private List<String> factors = new ArrayList<>();

	@Enumerated(EnumType.STRING)
	private QuestionKind kind = QuestionKind.EXPLORATION;

	private String createdBy;

	private Instant createdAt;

	private Instant closedAt;

	@Version
	private long version;

	protected Question() {
	}

	/** A new OPEN question that varies no known factor (an exploration); {@code parent} may be null. */
	public static Question open(ExperimentId experiment, QuestionId parent, String text, String actor) {
		return open(experiment, parent, text, List.of(), actor);
	}

	/**
	 * A new OPEN question about the change of {@code factors} (see {@link Factors}); its kind follows from them.
	 * {@code parent} may be null.
	 */
	public static Question open(ExperimentId experiment, QuestionId parent, String text, List<String> factors,
			String actor) {
		Question question = new Question();
		question.factors = new ArrayList<>(factors);
		question.kind = QuestionKind.of(factors);
		question.experimentId = experiment.value();
		question.parentId = parent == null ? null : parent.value();
		question.text = text.strip();
		question.status = QuestionStatus.OPEN;
		question.createdBy = actor;
		question.createdAt = Instant.now();
		return question;
	}

	/** Closes the question with a conclusion; a move out of OPEN only. */
	public void close(QuestionStatus outcome, String conclusion, String actor) {
		QuestionStatus from = status;
		QuestionStatus.TRANSITIONS.check(from, outcome);
		this.status = outcome;
		this.conclusion = conclusion;
		this.closedAt = Instant.now();
		registerEvent(new QuestionStatusChanged(id(), experimentId(), from, outcome, actor, conclusion, closedAt));
	}

	// The id exists only once the row is inserted, so the first event is registered after persist.
	@PostPersist
	void opened() {
		registerEvent(new QuestionStatusChanged(id(), experimentId(), null, status, createdBy, null, createdAt));
	}

	public QuestionId id() {
		return new QuestionId(id);
	}

	public ExperimentId experimentId() {
		return new ExperimentId(experimentId);
	}

	public Optional<QuestionId> parentId() {
		return Optional.ofNullable(parentId).map(QuestionId::new);
	}

	public String text() {
		return text;
	}

	public QuestionStatus status() {
		return status;
	}

	public Optional<String> conclusion() {
		return Optional.ofNullable(conclusion);
	}

	/** The parameter names its change varies, and {@value Factors#CODE} for a patch. */
	public List<String> factors() {
		return List.copyOf(factors);
	}

	public QuestionKind kind() {
		return kind;
	}

	public String createdBy() {
		return createdBy;
	}

	public Instant createdAt() {
		return createdAt;
	}

	public Optional<Instant> closedAt() {
		return Optional.ofNullable(closedAt);
	}
}
