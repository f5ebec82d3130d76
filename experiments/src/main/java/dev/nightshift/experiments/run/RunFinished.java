package dev.nightshift.experiments.run;

import dev.nightshift.experiments.experiment.ExperimentId;

/**
 * A run reached its outcome: it is owed a verdict (or, for a failure, the note that it gets none). Recorded in
 * the event publication registry with the outcome, so a crash before judging does not lose it.
 */
public record RunFinished(RunId runId, ExperimentId experimentId, RunStatus outcome) {
}
