package dev.nightshift.web.ui;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.spec.Goal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a person wants to know first in the morning: how the runs since the last loop started ended, how the
 * best run compares with the baseline, and which questions turned out to be dead ends. A handful of aggregate
 * queries, each answered from the run and question indexes.
 */
@Component
class MorningSummary {

	private final JdbcClient jdbc;

	MorningSummary(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record Outcome(String status, long count) {
	}

	/**
	 * @param since       the start of the period summarised (the latest loop's start), or null for all time
	 * @param kept        runs that became the new best in the period
	 * @param baseline    the mean objective of the successful baseline runs, or null before any
	 * @param improvement how much better the best is than the baseline, in the objective's units (positive is
	 *                    better whatever the goal), or null
	 * @param deadEnds    questions closed as DEAD_END or REFUTED in the period
	 */
	record View(Instant since, List<Outcome> outcomes, long runs, long kept, Long bestRunId, Double best,
			Double baseline, long baselineRuns, Double improvement, String improvementPercent, long deadEnds) {
	}

	View of(Experiment experiment, Instant since) {
		long id = experiment.id().value();
		Timestamp from = since == null ? null : Timestamp.from(since);
		List<Outcome> outcomes = new ArrayList<>();
		long[] kept = new long[1];
		jdbc.sql("""
				select status, count(*) as n, count(*) filter (where verdict = 'KEEP') as kept from run
				where experiment_id = :id and (cast(:since as timestamptz) is null or queued_at >= :since)
				group by status order by n desc, status""")
			.param("id", id)
			.param("since", from)
			.query(rs -> {
				outcomes.add(new Outcome(rs.getString("status"), rs.getLong("n")));
				kept[0] += rs.getLong("kept");
			});
		boolean minimize = experiment.spec().objective().goal() == Goal.MINIMIZE;
		Best best = best(experiment, minimize);
		Baseline baseline = jdbc.sql("""
				select avg(objective) as mean, count(*) as n from run
				where experiment_id = ? and kind = 'BASELINE' and status = 'SUCCEEDED'""")
			.param(id)
			.query((rs, row) -> new Baseline((Double) rs.getObject("mean"), rs.getLong("n")))
			.single();
		long deadEnds = jdbc.sql("""
				select count(*) from question where experiment_id = :id and status in ('DEAD_END', 'REFUTED')
				and (cast(:since as timestamptz) is null or closed_at >= :since)""")
			.param("id", id)
			.param("since", from)
			.query(Long.class)
			.single();
		Double improvement = best.value() == null || baseline.mean() == null ? null
				: (minimize ? baseline.mean() - best.value() : best.value() - baseline.mean());
		String percent = improvement == null || baseline.mean() == 0 ? null
				: String.format("%+.2f%%", improvement * 100 / Math.abs(baseline.mean()));
		return new View(since, outcomes, outcomes.stream().mapToLong(Outcome::count).sum(), kept[0], best.runId(),
				best.value(), baseline.mean(), baseline.runs(), improvement, percent, deadEnds);
	}

	private record Best(Long runId, Double value) {
	}

	private record Baseline(Double mean, long runs) {
	}

	/** The experiment's best run as the loop kept it, or else its best successful run. */
	private Best best(Experiment experiment, boolean minimize) {
		String sql = experiment.bestRunId().isPresent()
				? "select id, objective from run where id = :best"
				: "select id, objective from run where experiment_id = :id and status = 'SUCCEEDED' and objective is not null"
						+ " order by objective " + (minimize ? "asc" : "desc") + " limit 1";
		return jdbc.sql(sql)
			.param("best", experiment.bestRunId().orElse(0L))
			.param("id", experiment.id().value())
			.query((rs, row) -> new Best(rs.getLong("id"), (Double) rs.getObject("objective")))
			.optional()
			.orElse(new Best(null, null));
	}
}
