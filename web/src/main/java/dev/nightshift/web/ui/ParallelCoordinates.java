package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data of the experiment page's parallel-coordinates panel: one axis per parameter of the specification
 * (a choice is a categorical axis) and one for the objective, and one line per successful run. With many runs
 * only a sample is sent: the {@link #BEST} best runs and a uniform sample (every k-th by id) of the others, up
 * to {@link #MAX_LINES} lines in all, so the response stays small and both queries are served by indexes.
 */
@Component
class ParallelCoordinates {

	/** The best runs always drawn. */
	static final int BEST = 200;
	/** The most lines sent. */
	static final int MAX_LINES = 2_000;

	private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;
	private final JsonMapper json = JsonMapper.builder().build();

	ParallelCoordinates(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One axis.
	 *
	 * @param kind   {@code number}, {@code log} (a log scale) or {@code choice}
	 * @param values the categories of a choice axis, in the specification's order
	 */
	record Axis(String name, String kind, Double min, Double max, List<String> values) {
	}

	/**
	 * One line: a run's values in the order of the axes (a number, a category or null where the run lacks the
	 * parameter); the objective is last.
	 */
	record Line(long run, List<Object> values, boolean best) {
	}

	/**
	 * @param total   how many successful runs with an objective there are
	 * @param sampled whether {@code lines} are a sample of them
	 */
	record Data(String metric, String goal, List<Axis> axes, List<Line> lines, long total, boolean sampled) {
	}

	Data of(Experiment experiment) {
		long id = experiment.id().value();
		boolean minimize = experiment.spec().objective().goal() == Goal.MINIMIZE;
		long total = jdbc.sql("select count(*) from run where experiment_id = ? and status = 'SUCCEEDED' and objective is not null")
			.param(id)
			.query(Long.class)
			.single();
		Map<Long, Object[]> rows = new TreeMap<>();
		Map<Long, Boolean> best = new LinkedHashMap<>();
		// The best ones from the objective index (NaN sorts above every number in PostgreSQL: kept out).
		jdbc.sql("""
				select id, objective, params from run where experiment_id = :e and status = 'SUCCEEDED'
				and objective is not null and objective <> 'NaN'::float8 order by objective %s limit :n"""
			.formatted(minimize ? "asc" : "desc"))
			.param("e", id)
			.param("n", BEST)
			.query(rs -> {
				rows.put(rs.getLong(1), new Object[] { rs.getDouble(2), rs.getString(3) });
				best.put(rs.getLong(1), true);
			});
		if (total > rows.size()) {
			long step = Math.max(1, (total + MAX_LINES - BEST - 1) / (MAX_LINES - BEST));
			jdbc.sql("""
					select r.id, r.objective, r.params from run r join (
					    select id from (select id, row_number() over (order by id) as n from run
					        where experiment_id = :e and status = 'SUCCEEDED' and objective is not null) numbered
					    where n % :k = 0 limit :m) picked on picked.id = r.id""")
				.param("e", id)
				.param("k", step)
				.param("m", MAX_LINES - BEST)
				.query(rs -> {
					rows.putIfAbsent(rs.getLong(1), new Object[] { rs.getDouble(2), rs.getString(3) });
				});
		}
		List<Axis> axes = new ArrayList<>();
		experiment.spec().parameters().forEach((name, spec) -> axes.add(axis(name, spec)));
		axes.add(new Axis(experiment.spec().objective().metric(), "number", null, null, null));
		List<Line> lines = new ArrayList<>(rows.size());
		rows.forEach((run, row) -> {
			Map<String, Object> params = parse((String) row[1]);
			List<Object> values = new ArrayList<>(axes.size());
			for (int i = 0; i < axes.size() - 1; i++) {
				values.add(value(axes.get(i), params.get(axes.get(i).name())));
			}
			values.add(ObjectiveChart.finite((Double) row[0]));
			lines.add(new Line(run, values, best.containsKey(run)));
		});
		return new Data(experiment.spec().objective().metric(), minimize ? "minimize" : "maximize", axes, lines, total,
				lines.size() < total);
	}

	private static Axis axis(String name, ParameterSpec spec) {
		if (spec instanceof FloatParameter f) {
			return new Axis(name, f.log() ? "log" : "number", f.min(), f.max(), null);
		}
		if (spec instanceof IntParameter i) {
			return new Axis(name, i.log() ? "log" : "number", (double) i.min(), (double) i.max(), null);
		}
		return new Axis(name, "choice", null, null, ((ChoiceParameter) spec).values());
	}

	private static Object value(Axis axis, Object raw) {
		if (raw == null) {
			return null;
		}
		if (axis.kind().equals("choice")) {
			return raw.toString();
		}
		if (raw instanceof Number number) {
			return ObjectiveChart.finite(number.doubleValue());
		}
		try {
			return ObjectiveChart.finite(Double.parseDouble(raw.toString()));
		}
		catch (NumberFormatException notANumber) {
			return null;
		}
	}

	private Map<String, Object> parse(String params) {
		try {
			return params == null ? Map.of() : json.readValue(params, PARAMS);
		}
		catch (RuntimeException unreadable) {
			return Map.of();
		}
	}
}
