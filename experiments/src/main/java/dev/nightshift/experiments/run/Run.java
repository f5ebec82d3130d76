package dev.nightshift.experiments.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.shared.JsonMapConverter;
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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.AbstractAggregateRoot;

/** One execution: the exact code and parameters, where it ran, and what came of it. */
@Entity
@Table(name = "run")
public class Run extends AbstractAggregateRoot<Run> {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private long experimentId;

	private Long proposalId;

	private Long replicateOf;

	@Enumerated(EnumType.STRING)
	private RunKind kind;

	@Enumerated(EnumType.STRING)
	private RunStatus status;

	@Convert(converter = JsonMapConverter.class)
	private Map<String, Object> params;

	private Long baseRunId;

	@JdbcTypeCode(SqlTypes.ARRAY)
	private List<String> varied;

	private String slot;

	private String gpuIds;

	private Long pid;

	private String jobId;

	@Column(name = "commit_sha")
	private String commit;

	private Integer exitCode;

	private Double objective;

	private Double peakMemoryMb;

	@Enumerated(EnumType.STRING)
	private Verdict verdict;

	private String verdictReason;

	private String error;

	private Instant queuedAt;

	private Instant startedAt;

	private Instant finishedAt;

	private String serverId;

	@Version
	private long version;

	protected Run() {
	}

	/** A QUEUED run with its full parameter values; {@code proposal} is null for baselines. */
	public static Run queue(ExperimentId experiment, ProposalId proposal, RunKind kind, Map<String, Object> params) {
		Run run = new Run();
		run.experimentId = experiment.value();
		run.proposalId = proposal == null ? null : proposal.value();
		run.kind = kind;
		run.status = RunStatus.QUEUED;
		run.params = new LinkedHashMap<>(params);
		run.queuedAt = Instant.now();
		return run;
	}

	/**
	 * A QUEUED run of a proposal merged onto {@code base} (the best run then, or null without one), recording the
	 * factors it varies against that base (see {@link dev.nightshift.experiments.question.Factors}), so that it
	 * counts as evidence only for a question about exactly those.
	 */
	public static Run queue(ExperimentId experiment, ProposalId proposal, RunKind kind, Map<String, Object> params,
			RunId base, List<String> varied) {
		Run run = queue(experiment, proposal, kind, params);
		run.baseRunId = base == null ? null : base.value();
		run.varied = List.copyOf(varied);
		return run;
	}

	/** A QUEUED repeat of {@code original}: its commit and parameters, to measure noise. */
	public static Run replicate(Run original) {
		Run run = queue(original.experimentId(), original.proposalId().orElse(null), RunKind.REPLICATE, original.params());
		run.baseRunId = original.baseRunId;
		run.varied = original.varied;
		run.replicateOf = original.id;
		return run;
	}

	/** A slot claimed it; its workspace is being prepared. */
	public void claim(String slot, String gpuIds, String actor) {
		moveTo(RunStatus.STARTING, actor, null);
		this.slot = slot;
		this.gpuIds = gpuIds;
	}

	/** The server that claimed it (see {@code dev.nightshift.experiments.cluster.ServerIdentity}). */
	public void ownedBy(String serverId) {
		this.serverId = serverId;
	}

	/** Its process started from {@code commit}. */
	public void started(long pid, String jobId, String commit, String actor) {
		moveTo(RunStatus.RUNNING, actor, null);
		this.pid = pid;
		this.jobId = jobId;
		this.commit = commit;
		this.startedAt = Instant.now();
	}

	/** Its job {@code jobId} was submitted to a cluster's scheduler (Slurm), from {@code commit}; no local pid. */
	public void startedAsJob(String jobId, String commit, String actor) {
		moveTo(RunStatus.RUNNING, actor, null);
		this.jobId = jobId;
		this.commit = commit;
		this.startedAt = Instant.now();
	}

	/**
	 * The moment its Slurm job really started, once Slurm says so: {@link #startedAsJob} set the submission time,
	 * which for a job that waited in the queue is not when it began to train. Ignored once the run has ended.
	 */
	public void jobStarted(Instant at) {
		if (status == RunStatus.RUNNING && at != null) {
			this.startedAt = at;
		}
	}

	/** Records its outcome; {@code error} says what went wrong, for failures. */
	public void finish(RunStatus outcome, Integer exitCode, Double objective, Double peakMemoryMb, String error,
			String actor) {
		if (!outcome.isFinished()) {
			throw new IllegalArgumentException(outcome + " is not an outcome");
		}
		moveTo(outcome, actor, error);
		this.exitCode = exitCode;
		this.objective = objective;
		this.peakMemoryMb = peakMemoryMb;
		this.error = error;
		this.finishedAt = Instant.now();
		registerEvent(new RunFinished(id(), experimentId(), outcome));
	}

	/**
	 * Records that the pruning rule stopped the run: PRUNED with its partial objective, judged DISCARD at once with
	 * the rule's {@code reason}, which names the rule, the point and the numbers.
	 */
	public void pruned(Integer exitCode, Double objective, Double peakMemoryMb, String reason, String actor) {
		finish(RunStatus.PRUNED, exitCode, objective, peakMemoryMb, reason, actor);
		this.verdict = Verdict.DISCARD;
		this.verdictReason = reason;
	}

	/** Gives the finished run its verdict against the experiment's best; a CONFIRMING run is judged again. */
	public void judge(Verdict verdict, String reason) {
		if (status != RunStatus.SUCCEEDED) {
			throw new IllegalStateException("Only a SUCCEEDED run gets a verdict; run " + id + " is " + status);
		}
		this.verdict = verdict;
		this.verdictReason = reason;
	}

	private void moveTo(RunStatus target, String actor, String reason) {
		RunStatus from = status;
		RunStatus.TRANSITIONS.check(from, target);
		status = target;
		registerEvent(new RunStatusChanged(id(), experimentId(), from, target, actor, reason, Instant.now()));
	}

	// The id exists only once the row is inserted, so the first event is registered after persist.
	@PostPersist
	void queued() {
		registerEvent(new RunStatusChanged(id(), experimentId(), null, status, "system", null, queuedAt));
	}

	public RunId id() {
		return new RunId(id);
	}

	public ExperimentId experimentId() {
		return new ExperimentId(experimentId);
	}

	public Optional<ProposalId> proposalId() {
		return Optional.ofNullable(proposalId).map(ProposalId::new);
	}

	/** The run this one repeats, for replicates. */
	public Optional<RunId> replicateOf() {
		return Optional.ofNullable(replicateOf).map(RunId::new);
	}

	public RunKind kind() {
		return kind;
	}

	public RunStatus status() {
		return status;
	}

	public Map<String, Object> params() {
		return Collections.unmodifiableMap(params);
	}

	/** The best run it was merged onto when queued; empty for baselines, first runs and runs from before. */
	public Optional<RunId> baseRunId() {
		return Optional.ofNullable(baseRunId).map(RunId::new);
	}

	/** The factors it varies against its base; empty when unknown (a run from before they were recorded). */
	public Optional<List<String>> varied() {
		return Optional.ofNullable(varied).map(List::copyOf);
	}

	public Optional<String> slot() {
		return Optional.ofNullable(slot);
	}

	public Optional<String> gpuIds() {
		return Optional.ofNullable(gpuIds);
	}

	public Optional<Long> pid() {
		return Optional.ofNullable(pid);
	}

	/** The server that claimed it; empty for a run still queued, or one claimed before servers had ids. */
	public Optional<String> serverId() {
		return Optional.ofNullable(serverId);
	}

	public Optional<String> jobId() {
		return Optional.ofNullable(jobId);
	}

	public Optional<String> commit() {
		return Optional.ofNullable(commit);
	}

	public Optional<Integer> exitCode() {
		return Optional.ofNullable(exitCode);
	}

	public Optional<Double> objective() {
		return Optional.ofNullable(objective);
	}

	public Optional<Double> peakMemoryMb() {
		return Optional.ofNullable(peakMemoryMb);
	}

	public Optional<Verdict> verdict() {
		return Optional.ofNullable(verdict);
	}

	public Optional<String> verdictReason() {
		return Optional.ofNullable(verdictReason);
	}

	public Optional<String> error() {
		return Optional.ofNullable(error);
	}

	public Instant queuedAt() {
		return queuedAt;
	}

	public Optional<Instant> startedAt() {
		return Optional.ofNullable(startedAt);
	}

	public Optional<Instant> finishedAt() {
		return Optional.ofNullable(finishedAt);
	}

	/** How long it ran, once it has finished. */
	public Optional<Duration> duration() {
		return startedAt == null || finishedAt == null ? Optional.empty()
				: Optional.of(Duration.between(startedAt, finishedAt));
	}
}
