package dev.nightshift.scheduler.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.scheduler.slot.Slot;
import dev.nightshift.scheduler.slot.SlotInventory;
import org.springframework.stereotype.Component;

/** Which slot runs what, right now. One server owns its home and its slots, so memory is the truth here. */
@Component
public class SlotBoard {

	private final Map<Slot, RunId> occupied = new LinkedHashMap<>();
	// When each slot was last freed and not yet taken again: where a slot gap (for the metrics) starts.
	private final Map<String, Instant> freedAt = new HashMap<>();
	private final SlotInventory inventory;

	SlotBoard(SlotInventory inventory) {
		this.inventory = inventory;
	}

	/** Free slots for a run that asks for {@code gpus} GPUs, or empty if there are not enough now. */
	synchronized Optional<List<Slot>> free(int gpus) {
		List<Slot> free = inventory.slots().stream().filter(slot -> !occupied.containsKey(slot)).toList();
		int needed = inventory.hasGpus() ? Math.max(gpus, 1) : 1;
		return free.size() >= needed ? Optional.of(new ArrayList<>(free.subList(0, needed))) : Optional.empty();
	}

	synchronized boolean anyFree() {
		return inventory.slots().stream().anyMatch(slot -> !occupied.containsKey(slot));
	}

	public synchronized void occupy(List<Slot> slots, RunId run) {
		slots.forEach(slot -> occupied.put(slot, run));
	}

	/** Frees every slot held by {@code run}. */
	public synchronized void release(RunId run) {
		Instant now = Instant.now();
		occupied.forEach((slot, holder) -> {
			if (run.equals(holder)) {
				freedAt.put(slot.id(), now);
			}
		});
		occupied.values().removeIf(run::equals);
	}

	/**
	 * When the slot was freed by the run that held it before, once: the start of the gap the next run on it ends.
	 * Empty when no run has left it since the server started or since the last call.
	 */
	public synchronized java.util.Optional<Instant> takeFreedAt(String slotId) {
		return java.util.Optional.ofNullable(freedAt.remove(slotId));
	}

	/** A snapshot: every slot with the run it executes, or null. */
	public synchronized Map<Slot, RunId> snapshot() {
		Map<Slot, RunId> view = new LinkedHashMap<>();
		inventory.slots().forEach(slot -> view.put(slot, occupied.get(slot)));
		return view;
	}

	/** The slot ids of a comma-separated list, as the run records them. */
	public synchronized List<Slot> byIds(String ids) {
		List<String> wanted = List.of(ids.split(","));
		return inventory.slots().stream().filter(slot -> wanted.contains(slot.id())).toList();
	}
}
