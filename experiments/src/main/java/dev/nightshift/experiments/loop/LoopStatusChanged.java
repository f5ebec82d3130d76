package dev.nightshift.experiments.loop;

import java.time.Instant;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.lifecycle.StatusChanged;

/** A loop was started, paused, resumed, stopped or finished. */
public record LoopStatusChanged(LoopId loopId, ExperimentId experimentId, LoopStatus from, LoopStatus to,
		String actor, String reason, Instant at) implements StatusChanged {

	@Override
	public String aggregate() {
		return "LOOP";
	}

	@Override
	public long aggregateId() {
		return loopId.value();
	}
}
