package dev.nightshift.web.api;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import dev.nightshift.agent.loop.LoopProgress;
import dev.nightshift.agent.loop.MorningSummary;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.loop.StopConditions;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.scheduler.execution.CancelRun;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The overnight loop of an experiment: start, read, pause, resume, stop; and the morning summary. */
@RestController
class LoopController {

	private final LoopControl control;
	private final LoopRepository loops;
	private final LoopProgress progress;
	private final MorningSummary summary;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final CancelRun cancel;

	LoopController(LoopControl control, LoopRepository loops, LoopProgress progress, MorningSummary summary,
			ExperimentRepository experiments, RunRepository runs, CancelRun cancel) {
		this.control = control;
		this.loops = loops;
		this.progress = progress;
		this.summary = summary;
		this.experiments = experiments;
		this.runs = runs;
		this.cancel = cancel;
	}

	/**
	 * How to start a loop: {@code policy} manual, params-auto or auto; the stop conditions ({@code maxCost} in US
	 * dollars and {@code maxTokens} count what the proposers spent); the lookahead; {@code proposer}
	 * {@code external} for a loop driven by an agent over MCP, absent for the configured proposer; {@code reflect}
	 * false to ask the proposer for proposals only, never for a reflection after a run (default true; an external
	 * loop is asked nothing).
	 */
	record StartLoop(String policy, Instant until, Integer maxRuns, Double maxGpuHours, Double target,
			Integer lookahead, Double maxCost, Long maxTokens, String proposer, Boolean reflect) {

		boolean external() {
			if (proposer == null || proposer.isBlank() || proposer.equals("configured")) {
				return false;
			}
			if (proposer.equals(Loop.EXTERNAL)) {
				return true;
			}
			throw new InvalidRequestException("proposer", "one-of",
					"proposer must be 'external' (an agent over MCP) or left out (the configured proposer), got '"
							+ proposer + "'");
		}
	}

	/** A loop with where it stands and, when it waits for a person, a sentence that says so. */
	record LoopState(Views.LoopView loop, LoopProgress.Snapshot progress, String waitingFor) {
	}

	@PostMapping("/api/experiments/{id}/loop")
	ResponseEntity<LoopState> start(@PathVariable long id, @RequestBody StartLoop request, Principal user) {
		ApprovalPolicy policy;
		try {
			policy = ApprovalPolicy.fromWireName(request.policy() == null ? "" : request.policy());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("policy", "one-of", ex.getMessage());
		}
		Loop loop = control.start(new LoopControl.Start(new ExperimentId(id), policy,
				new StopConditions(request.until(), request.maxRuns(), request.maxGpuHours(), request.target(),
						request.maxCost(), request.maxTokens()),
				request.lookahead(), request.external(), request.reflect()), "human:" + user.getName());
		return ResponseEntity.created(URI.create("/api/experiments/" + id + "/loop")).body(state(loop));
	}

	/** The running or paused loop, or else the most recent one. */
	@GetMapping("/api/experiments/{id}/loop")
	LoopState read(@PathVariable long id) {
		experiments.require(new ExperimentId(id));
		return loops.findFirstByExperimentIdOrderByIdDesc(id)
			.map(this::state)
			.orElseThrow(() -> new NotFoundException("loop of experiment", id));
	}

	@PostMapping("/api/experiments/{id}/loop/pause")
	LoopState pause(@PathVariable long id, Principal user) {
		return state(control.pause(new ExperimentId(id), "human:" + user.getName()));
	}

	@PostMapping("/api/experiments/{id}/loop/resume")
	LoopState resume(@PathVariable long id, Principal user) {
		return state(control.resume(new ExperimentId(id), "human:" + user.getName()));
	}

	/**
	 * Stops the loop. With {@code cancelRuns=true} its queued and running runs are cancelled too; by default
	 * they are left to finish.
	 */
	@DeleteMapping("/api/experiments/{id}/loop")
	LoopState stop(@PathVariable long id, @RequestParam(defaultValue = "false") boolean cancelRuns, Principal user) {
		String actor = "human:" + user.getName();
		Loop loop = control.stop(new ExperimentId(id), actor,
				cancelRuns ? "stopped by " + actor + ", runs cancelled" : "stopped by " + actor + ", runs left to finish");
		if (cancelRuns) {
			for (Run run : runs.findByExperimentIdAndStatusIn(id, List.of(RunStatus.QUEUED, RunStatus.STARTING,
					RunStatus.RUNNING), org.springframework.data.domain.Pageable.unpaged())) {
				cancel.cancel(run.id(), actor);
			}
		}
		return state(loop);
	}

	/** The morning summary: what happened since the latest loop started (or since {@code since}). */
	/** The earliest {@code since} a summary takes: nothing in Nightshift happened before it. */
	private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

	@GetMapping("/api/experiments/{id}/summary")
	MorningSummary.Report summary(@PathVariable long id, @RequestParam(required = false) Instant since) {
		if (since != null && (since.isBefore(EARLIEST) || since.isAfter(Instant.now()))) {
			throw new InvalidRequestException("since", "out-of-range",
					"since must lie between " + EARLIEST + " and now, got " + since);
		}
		Experiment experiment = experiments.require(new ExperimentId(id));
		Loop latest = loops.findFirstByExperimentIdOrderByIdDesc(id).orElse(null);
		Instant from = since != null ? since : latest != null ? latest.startedAt() : experiment.createdAt();
		Instant until = latest != null && since == null ? latest.endedAt().orElse(Instant.now()) : Instant.now();
		return summary.since(experiment, from, until);
	}

	private LoopState state(Loop loop) {
		LoopProgress.Snapshot snapshot = progress.of(loop);
		String waiting = loop.status().isActive() && snapshot.awaitingApproval() > 0 && snapshot.active() == 0
				? snapshot.awaitingApproval() + " proposal(s) wait for a person's approval; nothing runs until then"
				: null;
		if (waiting == null) {
			waiting = waitingForAgent(loop, snapshot);
		}
		Instant rests = loop.proposerRestsUntil().orElse(null);
		if (waiting == null && loop.status() == LoopStatus.RUNNING && rests != null && rests.isAfter(Instant.now())) {
			waiting = "the proposer failed " + loop.proposerFailures() + " time(s) in a row; it is asked again after "
					+ rests;
		}
		return new LoopState(Views.LoopView.of(loop), snapshot, waiting);
	}

	/** An external agent's loop with no run going nor ready waits for the agent's next proposal over MCP. */
	private static String waitingForAgent(Loop loop, LoopProgress.Snapshot snapshot) {
		return loop.external() && loop.status() == LoopStatus.RUNNING && snapshot.active() == 0
				&& snapshot.approved() == 0 && snapshot.awaitingApproval() == 0
						? "waiting for the external agent to propose over MCP (/mcp, tool propose)" : null;
	}
}
