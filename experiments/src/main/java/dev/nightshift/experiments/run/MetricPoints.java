package dev.nightshift.experiments.run;

import java.sql.Timestamp;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The metric points of runs. Plain SQL rather than JPA: points arrive by the thousand and are read as a
 * series, never as entities.
 */
@Repository
public class MetricPoints {

	private final JdbcClient jdbc;
	private final JdbcTemplate batch;

	MetricPoints(JdbcClient jdbc, JdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	/** Appends points of one run in one batch. */
	public void append(RunId run, List<MetricPoint> points) {
		batch.batchUpdate("insert into metric_point (run_id, seq, name, step, value, recorded_at) values (?, ?, ?, ?, ?, ?)",
				points, points.size(), (statement, point) -> {
					statement.setLong(1, run.value());
					statement.setInt(2, point.seq());
					statement.setString(3, point.name());
					statement.setObject(4, point.step());
					statement.setDouble(5, point.value());
					statement.setTimestamp(6, Timestamp.from(point.recordedAt()));
				});
	}

	/** Every point of a run, in the order reported; {@code name} null means all metrics. */
	public List<MetricPoint> of(RunId run, String name) {
		return jdbc.sql("""
				select seq, name, step, value, recorded_at from metric_point
				where run_id = :run and (cast(:name as text) is null or name = :name) order by seq""")
			.param("run", run.value())
			.param("name", name)
			.query((rs, row) -> new MetricPoint(rs.getInt("seq"), rs.getString("name"),
					rs.getObject("step") == null ? null : rs.getLong("step"), rs.getDouble("value"),
					rs.getTimestamp("recorded_at").toInstant()))
			.list();
	}
}
