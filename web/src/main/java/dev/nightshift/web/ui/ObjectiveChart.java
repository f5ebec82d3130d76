package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.spec.Goal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The series behind the experiment page's chart: the objective of each successful run, the value each pruned run
 * had where it was stopped (marked apart, and never part of the best), and the best value so far.
 * Only the latest {@link #MAX_POINTS} runs are sent, so a hundred thousand runs stay a small response; the
 * best-so-far line still counts every run, starting from the best of the older ones. Every query is served by
 * an index.
 */
@Component
class ObjectiveChart {

	static final int MAX_POINTS = 5_000;

	private final JdbcClient jdbc;

	ObjectiveChart(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Column-wise, as uPlot takes it.
	 *
	 * @param runs   run ids, the x axis
	 * @param values each successful run's objective; null for a pruned run
	 * @param pruned each pruned run's last objective value before it was stopped; null for a successful run
	 * @param best   the best objective up to and including that run
	 * @param total  how many successful and pruned runs there are, of which the latest {@link #MAX_POINTS} are here
	 */
	record Series(String metric, String goal, List<Long> runs, List<Double> values, List<Double> pruned,
			List<Double> best, long total) {
	}

	Series of(Experiment experiment) {
		boolean minimize = experiment.spec().objective().goal() == Goal.MINIMIZE;
		long id = experiment.id().value();
		List<Long> runs = new ArrayList<>();
		List<Double> values = new ArrayList<>();
		List<Boolean> wasPruned = new ArrayList<>();
		// The latest runs, newest first: each status straight from the (experiment_id, status, id desc) index.
		jdbc.sql("""
				select id, objective, pruned from (
				    (select id, objective, false as pruned from run
				     where experiment_id = :e and status = 'SUCCEEDED' and objective is not null order by id desc limit :n)
				    union all
				    (select id, objective, true as pruned from run
				     where experiment_id = :e and status = 'PRUNED' and objective is not null order by id desc limit :n)
				) latest order by id desc limit :n""")
			.param("e", id)
			.param("n", MAX_POINTS)
			.query(rs -> {
				runs.add(rs.getLong("id"));
				values.add(rs.getDouble("objective"));
				wasPruned.add(rs.getBoolean("pruned"));
			});
		Collections.reverse(runs);
		Collections.reverse(values);
		Collections.reverse(wasPruned);
		long total = runs.size();
		Double before = null;
		if (runs.size() == MAX_POINTS) {
			total = jdbc.sql("select count(*) from run where experiment_id = ? and status in ('SUCCEEDED', 'PRUNED')"
					+ " and objective is not null")
				.param(id)
				.query(Long.class)
				.single();
			// The best of everything older, from the objective index: the best-so-far line starts there.
			before = jdbc.sql("""
					select %s(objective) from run where experiment_id = ? and status = 'SUCCEEDED'
					and objective is not null and objective <> 'NaN'::float8 and id < ?""".formatted(minimize ? "min" : "max"))
				.params(id, runs.get(0))
				.query(Double.class)
				.optional()
				.orElse(null);
		}
		List<Double> best = new ArrayList<>(values.size());
		List<Double> shown = new ArrayList<>(values.size());
		List<Double> pruned = new ArrayList<>(values.size());
		Double running = before;
		for (int i = 0; i < values.size(); i++) {
			double value = values.get(i);
			boolean stopped = wasPruned.get(i);
			// A pruned run's value is from part of a curve: it says where the run was, not what it would reach.
			if (!stopped && !Double.isNaN(value) && (running == null || (minimize ? value < running : value > running))) {
				running = value;
			}
			best.add(running == null ? null : finite(running));
			shown.add(stopped ? null : finite(value));
			pruned.add(stopped ? finite(value) : null);
		}
		return new Series(experiment.spec().objective().metric(), minimize ? "minimize" : "maximize", runs, shown,
				pruned, best, total);
	}

	/** JSON has no NaN; a gap in the line says the same. */
	static Double finite(double value) {
		return Double.isFinite(value) ? value : null;
	}
}
