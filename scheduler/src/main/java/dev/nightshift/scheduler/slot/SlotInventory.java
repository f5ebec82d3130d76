package dev.nightshift.scheduler.slot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.nightshift.experiments.run.SlotCapacity;

/**
 * The machine's slots, found once at start: one per GPU, or {@code cpuSlots} CPU slots where there is none.
 */
public final class SlotInventory implements SlotCapacity {

	private final List<Slot> slots;
	private final String gpuProblem;

	private SlotInventory(List<Slot> slots, String gpuProblem) {
		this.slots = Collections.unmodifiableList(slots);
		this.gpuProblem = gpuProblem;
	}

	public static SlotInventory discover(NvidiaSmi nvidiaSmi, int cpuSlots) {
		NvidiaSmi.Discovery discovery = nvidiaSmi.discover();
		return of(discovery, cpuSlots);
	}

	static SlotInventory of(NvidiaSmi.Discovery discovery, int cpuSlots) {
		List<Slot> slots = new ArrayList<>();
		for (GpuInfo gpu : discovery.gpus()) {
			slots.add(new Slot("gpu-" + gpu.index(), gpu));
		}
		if (slots.isEmpty()) {
			for (int i = 0; i < cpuSlots; i++) {
				slots.add(new Slot("cpu-" + i, null));
			}
		}
		return new SlotInventory(slots, discovery.problem());
	}

	public List<Slot> slots() {
		return slots;
	}

	@Override
	public int concurrentRuns() {
		return slots.size();
	}

	public boolean hasGpus() {
		return slots.stream().anyMatch(Slot::isGpu);
	}

	/** Why no GPU was found, when none was. */
	public String gpuProblem() {
		return gpuProblem;
	}
}
