package dev.nightshift.experiments.loop;

import java.time.Instant;

/**
 * When a loop ends by itself; any condition met ends it, and null means "no such limit".
 *
 * @param until       a wall-clock time
 * @param maxRuns     a number of finished runs
 * @param maxGpuHours GPU (or slot) hours spent
 * @param target      an objective value good enough to stop at
 * @param maxCost     US dollars spent on proposers (the currency of the recorded cost of each proposal)
 * @param maxTokens   prompt and answer tokens spent on proposers
 */
public record StopConditions(Instant until, Integer maxRuns, Double maxGpuHours, Double target, Double maxCost,
		Long maxTokens) {

	/** Conditions without a spending limit. */
	public StopConditions(Instant until, Integer maxRuns, Double maxGpuHours, Double target) {
		this(until, maxRuns, maxGpuHours, target, null, null);
	}
}
