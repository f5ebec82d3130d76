package dev.nightshift.scheduler.dispatch;

import java.util.List;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.scheduler.slot.Slot;

/** Executes a run that has been claimed for some slots; returns at once, and frees the slots when done. */
public interface RunStarter {

	void start(RunId run, List<Slot> slots);
}
