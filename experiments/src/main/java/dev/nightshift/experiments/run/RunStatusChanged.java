package dev.nightshift.experiments.run;

import java.time.Instant;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.lifecycle.StatusChanged;

/** A run was queued, started or finished. */
public record RunStatusChanged(RunId runId, ExperimentId experimentId, RunStatus from, RunStatus to, String actor,
		String reason, Instant at) implements StatusChanged {

	@Override
	public String aggregate() {
		return "RUN";
	}

	@Override
	public long aggregateId() {
		return runId.value();
	}
}
