package dev.nightshift.experiments.loop;

import java.time.Duration;
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

	/** The proposer setting of a loop driven by an agent outside the server. */
	public static final String EXTERNAL = "external";

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

	@Column(name = "max_cost_usd")
	private Double maxCost;

	private Long maxTokens;

	private int proposerFailures;

	private Instant proposerRestsUntil;

	private Instant callsHourStart;

	private int callsInHour;

	private int lookahead;

	/** {@value #EXTERNAL} when an agent outside the server proposes (over MCP); null for the configured proposer. */
	private String proposer;

	private boolean reflect = true;

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
		loop.maxCost = stop.maxCost();
		loop.maxTokens = stop.maxTokens();
		loop.lookahead = lookahead;
		loop.startedBy = actor;
		loop.startedAt = Instant.now();
		return loop;
	}

	/**
	 * A RUNNING loop whose proposals come from an agent outside the server (over MCP): the loop asks no proposer
	 * of its own, and applies its policy to what the agent proposes.
	 */
	public static Loop startExternal(ExperimentId experiment, ApprovalPolicy policy, StopConditions stop,
			int lookahead, String actor) {
		Loop loop = start(experiment, policy, stop, lookahead, actor);
		loop.proposer = EXTERNAL;
		return loop;
	}

	/** Whether an agent outside the server proposes for this loop, so that the loop asks no proposer itself. */
	public boolean external() {
		return EXTERNAL.equals(proposer);
	}

	public void pause(String actor) {
		moveTo(LoopStatus.PAUSED, actor, null);
	}

	/** Resumes; a breaker that paused the loop starts counting from zero again. */
	public void resume(String actor) {
		moveTo(LoopStatus.RUNNING, actor, null);
		proposerFailures = 0;
		proposerRestsUntil = null;
		stopReason = null;
	}

	/**
	 * The proposer failed once more (every proposal of a call rejected, or an agent error): the next call waits
	 * until {@code restUntil}.
	 *
	 * @return the failures in a row, this one included
	 */
	public int proposerFailed(Instant restUntil) {
		proposerFailures++;
		proposerRestsUntil = restUntil;
		return proposerFailures;
	}

	/** The proposer made something usable: the count of failures in a row starts again. */
	public void proposerSucceeded() {
		proposerFailures = 0;
		proposerRestsUntil = null;
	}

	/** Paused by the loop itself (its proposer failed too often); {@code reason} says why until it resumes. */
	public void pauseItself(String reason) {
		moveTo(LoopStatus.PAUSED, "system", reason);
		stopReason = reason;
	}

	/**
	 * Counts a call to a model against the hourly ceiling, if the ceiling allows it. The hour starts at the first
	 * call after the previous hour has passed.
	 *
	 * @return whether the call may be made
	 */
	public boolean takeCall(Instant now, int perHour) {
		if (callsHourStart == null || !now.isBefore(callsHourStart.plus(Duration.ofHours(1)))) {
			callsHourStart = now;
			callsInHour = 0;
		}
		if (callsInHour >= perHour) {
			return false;
		}
		callsInHour++;
		return true;
	}

	/** When the current hour of the ceiling ends, or empty before the first call. */
	public Optional<Instant> callsHourEnds() {
		return Optional.ofNullable(callsHourStart).map(start -> start.plus(Duration.ofHours(1)));
	}

	public int callsInHour() {
		return callsInHour;
	}

	public int proposerFailures() {
		return proposerFailures;
	}

	/** Before this instant the proposer is not asked again (it failed lately); empty when it may be asked. */
	public Optional<Instant> proposerRestsUntil() {
		return Optional.ofNullable(proposerRestsUntil);
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
		return new StopConditions(until, maxRuns, maxGpuHours, target, maxCost, maxTokens);
	}

	public int lookahead() {
		return lookahead;
	}

	/** Whether its proposer is asked, after each run, what the run taught about its question. */
	public boolean reflects() {
		return reflect;
	}

	/** Starts without (or with) reflections after runs; set before the loop is first saved. */
	public Loop withReflections(boolean on) {
		this.reflect = on;
		return this;
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
