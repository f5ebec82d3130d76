package dev.nightshift.web.ui;

import java.time.Instant;
import java.util.List;

import dev.nightshift.agent.loop.MorningSummary;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.spec.Goal;

/**
 * The research loop's morning summary as the experiment page shows it, with what a glance needs computed from
 * it: the runs in all, and how far the best is from the baseline, in the objective's units (positive is better
 * whatever the goal) and in percent.
 *
 * @param loopStart  the start of the latest loop the report covers, or null when it covers every run
 * @param bestRunId  the experiment's best run
 * @param pruned     the runs the pruning rule stopped, and the time that saved
 */
record MorningView(MorningSummary.Report report, Instant loopStart, List<Outcome> outcomes, long runs, Long bestRunId,
		Double improvement, String improvementPercent, MorningSummary.Pruned pruned) {

	/** How many runs ended (or stand) in one status. */
	record Outcome(String status, long count) {
	}

	/** @param loopStart when the latest loop started, or null to summarise since the experiment began */
	static MorningView of(MorningSummary summary, Experiment experiment, Instant loopStart) {
		Instant since = loopStart == null ? experiment.createdAt() : loopStart;
		MorningSummary.Report report = summary.since(experiment, since, Instant.now());
		List<Outcome> outcomes = report.runsByOutcome()
			.entrySet()
			.stream()
			.map(e -> new Outcome(e.getKey(), e.getValue()))
			.sorted((a, b) -> Long.compare(b.count(), a.count()))
			.toList();
		Double baseline = report.baseline();
		Double best = report.best();
		Double improvement = baseline == null || best == null ? null
				: (experiment.spec().objective().goal() == Goal.MINIMIZE ? baseline - best : best - baseline);
		String percent = improvement == null || baseline == 0 ? null
				: String.format(java.util.Locale.ROOT, "%+.2f%%", improvement * 100 / Math.abs(baseline));
		return new MorningView(report, loopStart, outcomes, outcomes.stream().mapToLong(Outcome::count).sum(),
				experiment.bestRunId().orElse(null), improvement, percent, summary.pruned(experiment, since));
	}

	/** Busy slot time over available slot time, in percent. */
	public long slotUtilisationPercent() {
		return Math.round(report.slotUtilisation() * 100);
	}
}
