package dev.nightshift.scheduler.slot;

import java.util.List;

/**
 * A place where one run executes at a time: a GPU ({@code gpu-0}) or a CPU slot ({@code cpu-0}).
 *
 * @param gpu the GPU behind it, or null for a CPU slot
 */
public record Slot(String id, GpuInfo gpu) {

	public boolean isGpu() {
		return gpu != null;
	}

	/** The value of {@code CUDA_VISIBLE_DEVICES} for a run on these slots: their indices, or empty. */
	public static String cudaVisibleDevices(List<Slot> slots) {
		return String.join(",", slots.stream().filter(Slot::isGpu).map(s -> Integer.toString(s.gpu().index())).toList());
	}
}
