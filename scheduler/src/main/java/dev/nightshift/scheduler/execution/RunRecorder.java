package dev.nightshift.scheduler.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.metrics.ParsedMetric;
import dev.nightshift.scheduler.process.MetricBatch;
import dev.nightshift.scheduler.process.Outcomes;
import dev.nightshift.scheduler.process.ProcessResult;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Writes what happens to a run: its start, its metric points as they arrive, its outcome, its proposal's end. */
@Service
public class RunRecorder {

	/** Metrics a training program may report its peak accelerator memory under, in MiB. */
	static final List<String> PEAK_MEMORY_METRICS = List.of("peak_vram_mb", "peak_memory_mb");

	private final RunRepository runs;
	private final ProposalRepository proposals;
	private final MetricPoints metrics;
	private final StateHistory history;

	RunRecorder(RunRepository runs, ProposalRepository proposals, MetricPoints metrics, StateHistory history) {
		this.runs = runs;
		this.proposals = proposals;
		this.metrics = metrics;
		this.history = history;
	}

	@Transactional
	public void started(RunId id, long pid, String commit) {
		Run run = runs.require(id);
		run.started(pid, null, commit, "system");
		runs.save(run);
	}

	/** Its job {@code jobId} was submitted to the cluster's scheduler, from {@code commit}. */
	@Transactional
	public void submitted(RunId id, String jobId, String commit) {
		Run run = runs.require(id);
		run.startedAsJob(jobId, commit, "system");
		runs.save(run);
	}

	/**
	 * A Slurm job left the queue and started at {@code at}: until now the run's start was its submission, so its
	 * duration and the time it is shown training count from here.
	 */
	@Transactional
	public void jobStarted(RunId id, Instant at) {
		Run run = runs.require(id);
		run.jobStarted(at);
		runs.save(run);
	}

	/** Appends a batch; {@code nextSeq} is the sequence number of its first point. Returns the next one. */
	public int metrics(RunId id, MetricBatch batch, int nextSeq) {
		List<MetricPoint> points = new ArrayList<>(batch.points().size());
		Instant now = Instant.now();
		int seq = nextSeq;
		for (ParsedMetric point : batch.points()) {
			points.add(new MetricPoint(seq++, point.name(), point.step(), point.value(), now));
		}
		metrics.append(id, points,
				new MetricPoints.Offsets(batch.resumeFrom().logOffset(), batch.resumeFrom().metricsFileOffset()));
		return seq;
	}

	@Transactional
	public RunStatus finished(RunId id, ProcessResult result, String budget) {
		RunStatus outcome = Outcomes.classify(result);
		if (outcome == RunStatus.LOST) {
			lost(id, "its processes ended but its wrapper recorded no exit status (a full disk, or the wrapper was"
					+ " killed), so how the command ended is unknown" + tail(result));
			return outcome;
		}
		Run run = runs.require(id);
		Optional<Double> peak = metrics.max(id, PEAK_MEMORY_METRICS);
		if (outcome == RunStatus.PRUNED) {
			run.pruned(result.exitCode(), result.objectiveSeen() ? result.objective() : null, peak.orElse(null),
					result.prunedBecause(), "system");
			runs.save(run);
			completeProposal(run);
			return outcome;
		}
		run.finish(outcome, result.exitCode(), result.objectiveSeen() ? result.objective() : null, peak.orElse(null),
				explain(outcome, result, budget), "system");
		runs.save(run);
		completeProposal(run);
		return outcome;
	}

	/** The run could not start: its patch did not apply, the sandbox is missing, the workspace failed. */
	@Transactional
	public void failedToStart(RunId id, String reason) {
		Run run = runs.require(id);
		if (run.status().isFinished()) {
			return;
		}
		run.finish(RunStatus.FAILED, null, null, null, reason, "system");
		runs.save(run);
		completeProposal(run);
	}

	/** Cancels a run that has not been claimed yet; its proposal is withdrawn. */
	@Transactional
	public void cancelQueued(RunId id, String actor) {
		Run run = runs.require(id);
		run.finish(RunStatus.CANCELLED, null, null, null, "cancelled by " + actor + " before it started", actor);
		runs.save(run);
		completeProposal(run);
	}

	/**
	 * Nobody can tell what happened to the run after a crash: it is LOST, and its proposal is queued again,
	 * once; a proposal that was lost before is closed instead, so a run that kills the server cannot loop.
	 */
	@Transactional
	public void lost(RunId id, String reason) {
		Run run = runs.require(id);
		run.finish(RunStatus.LOST, null, null, null, reason, "system");
		runs.save(run);
		run.proposalId().map(proposals::lock).filter(p -> p.status() == ProposalStatus.SCHEDULED).ifPresent(proposal -> {
			boolean requeuedBefore = history.of("PROPOSAL", proposal.id().value())
				.stream()
				.anyMatch(entry -> "SCHEDULED".equals(entry.from()) && "APPROVED".equals(entry.to()));
			if (requeuedBefore) {
				proposal.complete("system");
			}
			else {
				proposal.requeue("system", "run " + id + " was lost: " + reason);
			}
			proposals.save(proposal);
		});
	}

	/** Ends the run's proposal once none of its runs (a baseline has several) is still to come. */
	private void completeProposal(Run run) {
		run.proposalId().ifPresent(id -> closeIfNothingToCome(id, run.status() == RunStatus.CANCELLED
				&& run.startedAt().isEmpty()));
	}

	/**
	 * Ends a SCHEDULED proposal none of whose runs is still to come: WITHDRAWN when its last run was cancelled
	 * before it started, DONE otherwise. The proposal's row is locked first, so that of two runs ending at once
	 * the second to get the lock counts the first as final. Returns whether it ended the proposal.
	 */
	@Transactional
	public boolean closeIfNothingToCome(ProposalId id, boolean cancelledBeforeStart) {
		Proposal proposal = proposals.lock(id);
		if (proposal.status() != ProposalStatus.SCHEDULED || runs.countByProposalIdAndStatusIn(id.value(),
				List.of(RunStatus.QUEUED, RunStatus.STARTING, RunStatus.RUNNING)) > 0) {
			return false;
		}
		if (cancelledBeforeStart) {
			proposal.withdraw("system", "its run was cancelled before it started");
		}
		else {
			proposal.complete("system");
		}
		proposals.save(proposal);
		return true;
	}

	private static String explain(RunStatus outcome, ProcessResult result, String budget) {
		return switch (outcome) {
			case SUCCEEDED -> null;
			case FAILED -> "exited with code " + result.exitCode() + tail(result);
			case TIMED_OUT -> "stopped at its time budget of " + budget + tail(result);
			case NO_METRIC -> "exited 0 but never reported the objective metric" + tail(result);
			case DIVERGED -> "the objective became " + result.objective() + tail(result);
			case OOM -> "ran out of memory" + tail(result);
			case CANCELLED -> "cancelled";
			default -> outcome.name();
		};
	}

	private static String tail(ProcessResult result) {
		String text = result.logTail() == null ? "" : result.logTail().strip();
		if (text.isEmpty()) {
			return "";
		}
		List<String> lines = text.lines().toList();
		return "; log ends with:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
	}
}
