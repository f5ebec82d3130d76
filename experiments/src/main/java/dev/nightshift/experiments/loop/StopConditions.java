package dev.nightshift.experiments.loop;

import java.time.Instant;

/**
 * When a loop ends by itself; any condition met ends it, and null means "no such limit".
 *
 * @param until       a wall-clock time
 * @param maxRuns     a number of finished runs
 * @param maxGpuHours GPU (or slot) hours spent
 * @param target      an objective value good enough to stop at
 */
public record StopConditions(Instant until, Integer maxRuns, Double maxGpuHours, Double target) {
}
