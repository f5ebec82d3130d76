package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.spec.Goal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The series behind the experiment page's chart: the objective of each successful run and the best value so far.
 * The best-so-far line is computed in SQL over every run, and only the latest {@link #MAX_POINTS} points are sent,
 * so a hundred thousand runs stay a small response.
 */
@Component
class ObjectiveChart {

	static final int MAX_POINTS = 20_000;

	private final JdbcClient jdbc;

	ObjectiveChart(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Column-wise, as uPlot takes it.
	 *
	 * @param runs   run ids, the x axis
	 * @param values each run's objective
	 * @param best   the best objective up to and including that run
	 * @param total  how many successful runs there are, of which the latest {@link #MAX_POINTS} are here
	 */
	record Series(String metric, String goal, List<Long> runs, List<Double> values, List<Double> best, long total) {
	}

	Series of(Experiment experiment) {
		boolean minimize = experiment.spec().objective().goal() == Goal.MINIMIZE;
		List<Long> runs = new ArrayList<>();
		List<Double> values = new ArrayList<>();
		List<Double> best = new ArrayList<>();
		long[] total = new long[1];
		jdbc.sql("""
				select id, objective, best, total from (
				  select id, objective, %s(objective) over (order by id) as best, count(*) over () as total
				  from run where experiment_id = ? and status = 'SUCCEEDED' and objective is not null
				) s order by id desc limit %d""".formatted(minimize ? "min" : "max", MAX_POINTS))
			.param(experiment.id().value())
			.query(rs -> {
				runs.add(rs.getLong("id"));
				values.add(finite(rs.getDouble("objective")));
				best.add(finite(rs.getDouble("best")));
				total[0] = rs.getLong("total");
			});
		Collections.reverse(runs);
		Collections.reverse(values);
		Collections.reverse(best);
		return new Series(experiment.spec().objective().metric(), minimize ? "minimize" : "maximize", runs, values,
				best, total[0]);
	}

	/** JSON has no NaN; a gap in the line says the same. */
	static Double finite(double value) {
		return Double.isFinite(value) ? value : null;
	}
}
