package dev.nightshift.experiments.loop;

import java.util.List;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts, pauses, resumes and stops an experiment's overnight loop; the API, the browser and stop conditions
 * all come here. What a running loop does (proposing, approving, judging) is the research loop's business.
 */
@Service
public class LoopControl {

	/** The most proposals kept ready ahead of the slots. */
	public static final int MAX_LOOKAHEAD = 64;

	/** The latest {@code until} a loop takes: beyond it a time no longer fits the database nor ISO-8601's four digits. */
	public static final java.time.Instant LATEST_UNTIL = java.time.Instant.parse("9999-12-31T23:59:59Z");

	private final LoopRepository loops;
	private final ExperimentRepository experiments;

	LoopControl(LoopRepository loops, ExperimentRepository experiments) {
		this.loops = loops;
		this.experiments = experiments;
	}

	/**
	 * What to start.
	 *
	 * @param lookahead how many proposals to keep ready beyond the runs going; null means 2
	 * @param external  whether an agent outside the server (over MCP) proposes instead of the configured proposer
	 * @param reflect   whether the proposer reflects on each finished run; null means yes (an external loop's
	 *                  agent concludes its questions itself: the server asks nothing of it)
	 */
	public record Start(ExperimentId experiment, ApprovalPolicy policy, StopConditions stop, Integer lookahead,
			boolean external, Boolean reflect) {

		/** A loop with the configured proposer, with reflections. */
		public Start(ExperimentId experiment, ApprovalPolicy policy, StopConditions stop, Integer lookahead) {
			this(experiment, policy, stop, lookahead, false, null);
		}

		/** A loop with reflections, proposed for by the configured proposer or, if {@code external}, over MCP. */
		public Start(ExperimentId experiment, ApprovalPolicy policy, StopConditions stop, Integer lookahead,
				boolean external) {
			this(experiment, policy, stop, lookahead, external, null);
		}

		public Start {
			reflect = !external && (reflect == null || reflect);
			if (policy == null) {
				throw new InvalidRequestException("policy", "required", "choose manual, params-auto or auto");
			}
			lookahead = lookahead == null ? 2 : lookahead;
			if (lookahead < 0 || lookahead > MAX_LOOKAHEAD) {
				throw new InvalidRequestException("lookahead", "out-of-range",
						"lookahead must be between 0 and " + MAX_LOOKAHEAD);
			}
			if (stop.maxRuns() != null && stop.maxRuns() < 1) {
				throw new InvalidRequestException("maxRuns", "out-of-range", "maxRuns must be at least 1");
			}
			if (stop.maxGpuHours() != null && !(Double.isFinite(stop.maxGpuHours()) && stop.maxGpuHours() > 0)) {
				throw new InvalidRequestException("maxGpuHours", "out-of-range",
						"maxGpuHours must be a positive, finite number, got " + stop.maxGpuHours());
			}
			if (stop.target() != null && !Double.isFinite(stop.target())) {
				throw new InvalidRequestException("target", "finite", "target must be a finite number, got " + stop.target());
			}
			if (stop.until() != null && stop.until().isAfter(LATEST_UNTIL)) {
				throw new InvalidRequestException("until", "out-of-range", "until must lie before " + LATEST_UNTIL);
			}
			if (stop.maxCost() != null && !(Double.isFinite(stop.maxCost()) && stop.maxCost() > 0)) {
				throw new InvalidRequestException("maxCost", "out-of-range",
						"maxCost must be a finite positive number of US dollars");
			}
			if (stop.maxTokens() != null && stop.maxTokens() < 1) {
				throw new InvalidRequestException("maxTokens", "out-of-range", "maxTokens must be at least 1");
			}
			if (stop.until() != null && stop.until().isBefore(java.time.Instant.now())) {
				throw new InvalidRequestException("until", "out-of-range", "until lies in the past");
			}
		}
	}

	/**
	 * @throws ConflictException when the experiment already has a loop that is running or paused
	 */
	@Transactional
	public Loop start(Start command, String actor) {
		experiments.require(command.experiment());
		if (loops.findActive(command.experiment().value()).isPresent()) {
			throw new ConflictException("Experiment " + command.experiment() + " already has a loop; stop it first");
		}
		try {
			Loop loop = command.external()
					? Loop.startExternal(command.experiment(), command.policy(), command.stop(), command.lookahead(), actor)
					: Loop.start(command.experiment(), command.policy(), command.stop(), command.lookahead(), actor);
			return loops.saveAndFlush(loop.withReflections(command.reflect()));
		}
		catch (DataIntegrityViolationException startedConcurrently) {
			throw new ConflictException("Experiment " + command.experiment() + " already has a loop; stop it first");
		}
	}

	@Transactional
	public Loop pause(ExperimentId experiment, String actor) {
		Loop loop = active(experiment);
		loop.pause(actor);
		return loops.save(loop);
	}

	@Transactional
	public Loop resume(ExperimentId experiment, String actor) {
		Loop loop = active(experiment);
		loop.resume(actor);
		return loops.save(loop);
	}

	/** Stops the loop; whether its runs are cancelled too is the caller's choice, carried out by the scheduler. */
	@Transactional
	public Loop stop(ExperimentId experiment, String actor, String reason) {
		Loop loop = active(experiment);
		loop.stop(actor, reason == null || reason.isBlank() ? "stopped by " + actor : reason);
		return loops.save(loop);
	}

	/** The loop that is running or paused. */
	@Transactional(readOnly = true)
	public Loop active(ExperimentId experiment) {
		return loops.findActive(experiment.value())
			.orElseThrow(() -> new NotFoundException("running or paused loop of experiment", experiment));
	}

	/** Every loop that is running or paused, for the research loop's ticks and the dashboard. */
	@Transactional(readOnly = true)
	public List<Loop> allActive() {
		return loops.findByStatusIn(List.of(LoopStatus.RUNNING, LoopStatus.PAUSED));
	}
}
