package dev.nightshift.experiments.loop;

import java.time.Instant;
import java.util.Optional;

import dev.nightshift.experiments.experiment.ExperimentId;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.springframework.data.domain.AbstractAggregateRoot;

/** An overnight research session on one experiment. */
@Entity
@Table(name = "research_loop")
public class Loop extends AbstractAggregateRoot<Loop> {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private long experimentId;

	@Enumerated(EnumType.STRING)
	private LoopStatus status;

	@Convert(converter = PolicyConverter.class)
	private ApprovalPolicy policy;

	@Column(name = "until_time")
	private Instant until;

	private Integer maxRuns;

	private Double maxGpuHours;

	private Double target;

	private int lookahead;

	private String startedBy;

	private Instant startedAt;

	private Instant endedAt;

	private String stopReason;

	@Version
	private long version;

	protected Loop() {
	}

	/** A RUNNING loop. */
	public static Loop start(ExperimentId experiment, ApprovalPolicy policy, StopConditions stop, int lookahead,
			String actor) {
		if (lookahead < 0) {
			throw new IllegalArgumentException("lookahead must be 0 or more, was " + lookahead);
		}
		Loop loop = new Loop();
		loop.experimentId = experiment.value();
		loop.status = LoopStatus.RUNNING;
		loop.policy = policy;
		loop.until = stop.until();
		loop.maxRuns = stop.maxRuns();
		loop.maxGpuHours = stop.maxGpuHours();
		loop.target = stop.target();
		loop.lookahead = lookahead;
		loop.startedBy = actor;
		loop.startedAt = Instant.now();
		return loop;
	}

	public void pause(String actor) {
		moveTo(LoopStatus.PAUSED, actor, null);
	}

	public void resume(String actor) {
		moveTo(LoopStatus.RUNNING, actor, null);
	}

	/** Stopped by a person. */
	public void stop(String actor, String reason) {
		moveTo(LoopStatus.STOPPED, actor, reason);
		end(reason);
	}

	/** A stop condition was met; {@code reason} says which. */
	public void finish(String reason) {
		moveTo(LoopStatus.FINISHED, "system", reason);
		end(reason);
	}

	private void end(String reason) {
		this.stopReason = reason;
		this.endedAt = Instant.now();
	}

	private void moveTo(LoopStatus target, String actor, String reason) {
		LoopStatus from = status;
		LoopStatus.TRANSITIONS.check(from, target);
		status = target;
		registerEvent(new LoopStatusChanged(id(), experimentId(), from, target, actor, reason, Instant.now()));
	}

	// The id exists only once the row is inserted, so the first event is registered after persist.
	@PostPersist
	void started() {
		registerEvent(new LoopStatusChanged(id(), experimentId(), null, status, startedBy, null, startedAt));
	}

	public LoopId id() {
		return new LoopId(id);
	}

	public ExperimentId experimentId() {
		return new ExperimentId(experimentId);
	}

	public LoopStatus status() {
		return status;
	}

	public ApprovalPolicy policy() {
		return policy;
	}

	public StopConditions stopConditions() {
		return new StopConditions(until, maxRuns, maxGpuHours, target);
	}

	public int lookahead() {
		return lookahead;
	}

	public String startedBy() {
		return startedBy;
	}

	public Instant startedAt() {
		return startedAt;
	}

	public Optional<Instant> endedAt() {
		return Optional.ofNullable(endedAt);
	}

	public Optional<String> stopReason() {
		return Optional.ofNullable(stopReason);
	}
}
