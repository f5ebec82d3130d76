package dev.nightshift.agent.loop;

import java.time.Instant;
import java.util.Optional;

import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.StopConditions;
import dev.nightshift.experiments.spec.Goal;

/** Whether a loop has met one of its stop conditions, and which. */
final class StopConditionCheck {

	private StopConditionCheck() {
	}

	/**
	 * @param gpusPerRun GPUs each run holds (a CPU slot counts as one)
	 * @param best       the experiment's best objective so far, or null
	 * @return the reason to finish, if one is met
	 */
	static Optional<String> reason(Loop loop, LoopProgress.Snapshot progress, int gpusPerRun, Goal goal, Double best,
			Instant now) {
		StopConditions stop = loop.stopConditions();
		if (stop.until() != null && !now.isBefore(stop.until())) {
			return Optional.of("reached its end time " + stop.until());
		}
		if (stop.maxRuns() != null && progress.finished() >= stop.maxRuns()) {
			return Optional.of("finished its " + stop.maxRuns() + " runs");
		}
		if (stop.maxGpuHours() != null && progress.slotHours() * gpusPerRun >= stop.maxGpuHours()) {
			return Optional.of("spent its " + stop.maxGpuHours() + " GPU-hours");
		}
		if (stop.maxTokens() != null && progress.tokens() >= stop.maxTokens()) {
			return Optional.of("spent its " + stop.maxTokens() + " tokens (" + progress.tokens() + " used by its proposers)");
		}
		if (stop.maxCost() != null && progress.costUsd() >= stop.maxCost()) {
			return Optional.of("spent its $" + stop.maxCost() + " (proposers cost $"
					+ String.format(java.util.Locale.ROOT, "%.4f", progress.costUsd()) + ")");
		}
		if (stop.target() != null && best != null
				&& (goal == Goal.MINIMIZE ? best <= stop.target() : best >= stop.target())) {
			return Optional.of("reached its target: best " + best + " against " + stop.target());
		}
		return Optional.empty();
	}

	/** How many more runs the loop may start; null without a run limit. */
	static Integer runsLeft(Loop loop, LoopProgress.Snapshot progress) {
		Integer max = loop.stopConditions().maxRuns();
		return max == null ? null : Math.max(0, max - progress.started() - progress.approved() - progress.awaitingApproval());
	}
}
