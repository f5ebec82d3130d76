package dev.nightshift.experiments.run;

import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

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

	/**
	 * Appends points of one run with PostgreSQL's {@code COPY}, in the caller's transaction: several times the
	 * rate of batched inserts (bench/ measures both). NaN and infinities travel as PostgreSQL spells them.
	 */
	public void append(RunId run, List<MetricPoint> points) {
		if (points.isEmpty()) {
			return;
		}
		StringBuilder csv = new StringBuilder(points.size() * 64);
		for (MetricPoint point : points) {
			csv.append(run.value()).append(',').append(point.seq()).append(',');
			csv.append('"').append(point.name().replace("\"", "\"\"")).append("\",");
			if (point.step() != null) {
				csv.append(point.step());
			}
			csv.append(',').append(Double.toString(point.value())).append(',').append(point.recordedAt()).append('\n');
		}
		batch.execute((ConnectionCallback<Long>) connection -> {
			try {
				return connection.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyIn("copy metric_point (run_id, seq, name, step, value, recorded_at) from stdin (format csv)",
							new StringReader(csv.toString()));
			}
			catch (IOException ex) {
				throw new SQLException("COPY of metric points failed", ex);
			}
		});
	}

	/**
	 * How far the run's log and metrics file have been read into points.
	 *
	 * @param log     byte offset in the run log
	 * @param metrics byte offset in the metrics file
	 */
	public record Offsets(long log, long metrics) {
	}

	/**
	 * Appends points and records how far the sources have been read, in one transaction. The transaction
	 * commits without waiting for its WAL flush ({@code synchronous_commit = off}, for this transaction only):
	 * a crash may lose the last fraction of a second of batches, but never points without their offsets or
	 * the reverse, so the next start reads the lost lines from the log again. Every state change still waits
	 * for its flush, and flushes the metric batches committed before it.
	 */
	@Transactional
	public void append(RunId run, List<MetricPoint> points, Offsets offsets) {
		jdbc.sql("set local synchronous_commit = off").update();
		// The run's row first, so the transaction locks it before the points go in (they reference it, though
		// without a foreign key since V9).
		jdbc.sql("update run set log_offset = ?, metrics_offset = ? where id = ?")
			.params(offsets.log(), offsets.metrics(), run.value())
			.update();
		append(run, points);
	}

	/** Where reading the run's sources stopped. */
	public Offsets offsets(RunId run) {
		return jdbc.sql("select log_offset, metrics_offset from run where id = ?")
			.param(run.value())
			.query((rs, row) -> new Offsets(rs.getLong(1), rs.getLong(2)))
			.single();
	}

	/** The sequence number the next point of the run gets. */
	public int nextSeq(RunId run) {
		return jdbc.sql("select coalesce(max(seq) + 1, 0) from metric_point where run_id = ?")
			.param(run.value())
			.query(Integer.class)
			.single();
	}

	/** The largest finite value any of {@code names} reached in the run, if one was reported. */
	public Optional<Double> max(RunId run, List<String> names) {
		return jdbc.sql("select max(value) from metric_point where run_id = :run and name in (:names)"
				+ " and value <> 'NaN'::float8 and value < 'Infinity'::float8")
			.param("run", run.value())
			.param("names", names)
			.query(Double.class)
			.list()
			.stream()
			.filter(java.util.Objects::nonNull)
			.findFirst();
	}

	/** Receives the points of {@link #scan}. */
	@FunctionalInterface
	public interface PointSink {

		/** @param step null when the point had none */
		void accept(String name, Long step, double value);
	}

	/**
	 * Every point of a run, metric by metric (by name), each metric's in the order reported, without the time
	 * they were recorded; streamed from the (run, name, seq) index without sorting, for runs with a great many.
	 */
	public void scan(RunId run, PointSink sink) {
		jdbc.sql("select name, step, value from metric_point where run_id = ? order by name, seq")
			.param(run.value())
			.query(rs -> {
				long step = rs.getLong(2);
				sink.accept(rs.getString(1), rs.wasNull() ? null : step, rs.getDouble(3));
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
