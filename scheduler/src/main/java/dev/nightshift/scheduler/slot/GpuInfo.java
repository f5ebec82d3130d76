package dev.nightshift.scheduler.slot;

/**
 * One GPU as {@code nvidia-smi} reports it; a field it answers {@code [N/A]} for is null.
 *
 * @param memoryTotalMb MiB
 * @param memoryUsedMb  MiB
 * @param utilization   percent
 */
public record GpuInfo(int index, String name, Long memoryTotalMb, Long memoryUsedMb, Integer utilization) {
}
