package dev.nightshift.experiments.experiment;

import dev.nightshift.experiments.run.RunId;

/** The experiment has a new best run; its commit becomes the base of new proposals and the branch {@code nightshift/best}. */
public record BestRunChanged(ExperimentId experimentId, RunId runId, String commit) {
}
