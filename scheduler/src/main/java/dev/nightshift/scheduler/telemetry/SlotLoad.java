package dev.nightshift.scheduler.telemetry;

import java.time.Instant;

/**
 * A slot's load in the latest sample: its GPU's as {@code nvidia-smi} reported it, or, for a CPU slot, that of the
 * processes of the run it holds.
 *
 * @param kind          {@code GPU} or {@code CPU}
 * @param utilization   percent (of the GPU; of one core for a CPU slot), null when not reported
 * @param memoryMb      MiB: GPU memory used, or the run's resident memory
 * @param memoryTotalMb MiB of GPU memory, null for a CPU slot
 * @param temperatureC  null where not reported
 * @param powerW        null where not reported
 */
public record SlotLoad(String slot, String kind, Double utilization, Double memoryMb, Long memoryTotalMb,
		Integer temperatureC, Double powerW, Instant sampledAt) {
}
