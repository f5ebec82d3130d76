package dev.nightshift.experiments.verdict;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.Verdict;

/**
 * A finished run has been judged, whatever the outcome: what comes after a run (the proposer's reflection, the
 * loop's next step) sees its verdict. {@code verdict} is null when the run gets none (a failure, a later
 * baseline replicate).
 */
public record RunJudged(RunId runId, ExperimentId experimentId, RunStatus outcome, Verdict verdict) {
}
