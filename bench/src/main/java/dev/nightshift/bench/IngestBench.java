package dev.nightshift.bench;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.scheduler.metrics.MetricLineParser;
import dev.nightshift.scheduler.metrics.ParsedMetric;
import dev.nightshift.scheduler.process.RunListener;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * Metric ingestion: points per second through the server's path (each log line parsed by
 * {@link MetricLineParser}, points appended by {@link MetricPoints#append(RunId, List, MetricPoints.Offsets)} in
 * batches of {@link RunListener#MAX_BATCH_POINTS}, as the scheduler's batcher sends them when points come fast) into a real PostgreSQL, against a raw {@code COPY}
 * of the same points into the same table.
 */
final class IngestBench {

	static final int LINES = 50_000;
	static final int METRICS_PER_LINE = 4;
	static final int BATCH = RunListener.MAX_BATCH_POINTS;
	static final int REPEATS = 3;
	static final double TARGET = 50_000;

	/** Only what {@link MetricPoints} needs: its {@code @Transactional} works as in the server. */
	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class Wiring {
	}

	private final int lines;
	private final int repeats;

	/** @param lines log lines per round (4 points each); @param repeats timed rounds, after one untimed */
	IngestBench(int lines, int repeats) {
		this.lines = lines;
		this.repeats = repeats;
	}

	IngestBench() {
		this(LINES, REPEATS);
	}

	Map<String, Object> run() throws Exception {
		try (BenchDatabase postgres = BenchDatabase.start(); HikariDataSource data = postgres.migrated("postgres")) {
			try (AnnotationConfigApplicationContext spring = repository(data)) {
				return measure(data, spring.getBean(MetricPoints.class));
			}
		}
	}

	/** A minimal Spring context holding only the server's metric repository over {@code data}. */
	private static AnnotationConfigApplicationContext repository(DataSource data) {
		AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
		spring.register(Wiring.class);
		spring.registerBean(DataSource.class, () -> data);
		spring.registerBean(JdbcTemplate.class, () -> new JdbcTemplate(data));
		spring.registerBean(JdbcClient.class, () -> JdbcClient.create(data));
		spring.registerBean(PlatformTransactionManager.class, () -> new JdbcTransactionManager(data));
		// Spring calls the repository's package-private constructor, as it does in the server.
		spring.registerBean(MetricPoints.class);
		spring.refresh();
		return spring;
	}

	private Map<String, Object> measure(DataSource data, MetricPoints metrics)
			throws SQLException {
		List<String> log = log();
		long experiment = experiment(data);
		// One untimed round of each warms the JIT and PostgreSQL's caches.
		viaServer(metrics, log, newRun(data, experiment));
		viaCopy(data, parse(log), newRun(data, experiment));
		double[] parseOnly = new double[repeats];
		double[] server = new double[repeats];
		double[] copy = new double[repeats];
		int points = 0;
		for (int i = 0; i < repeats; i++) {
			long start = System.nanoTime();
			List<MetricPoint> parsed = parse(log);
			parseOnly[i] = parsed.size() / seconds(start);
			points = parsed.size();
			RunId run = newRun(data, experiment);
			server[i] = viaServer(metrics, log, run);
			stored(data, run, points);
			run = newRun(data, experiment);
			copy[i] = viaCopy(data, parsed, run);
			stored(data, run, points);
		}
		double serverMedian = median(server);
		double copyMedian = median(copy);
		double parseMedian = median(parseOnly);
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("path", "points/s (median of " + repeats + ")", "ratio to COPY"));
		rows.add(List.of("parse only (MetricLineParser)", String.format("%,.0f", parseMedian),
				SearchBench.format(parseMedian / copyMedian)));
		rows.add(List.of("parse + MetricPoints.append", String.format("%,.0f", serverMedian),
				SearchBench.format(serverMedian / copyMedian)));
		rows.add(List.of("COPY of the same points", String.format("%,.0f", copyMedian), "1.000"));
		Bench.table("ingest: " + points + " points (" + lines + " log lines x " + METRICS_PER_LINE
				+ " metrics) per round, batches of " + BATCH, rows);
		boolean met = serverMedian >= TARGET;
		System.out.println("target (>= 50,000 points/s through the server's path): " + (met ? "MET" : "NOT MET"));

		Map<String, Object> result = new LinkedHashMap<>();
		result.put("points_per_round", points);
		result.put("batch_points", BATCH);
		result.put("rounds", repeats);
		result.put("parse_only_points_per_s", parseMedian);
		result.put("server_path_points_per_s", serverMedian);
		result.put("copy_points_per_s", copyMedian);
		result.put("ratio_to_copy", serverMedian / copyMedian);
		result.put("server_path_rounds", Arrays.stream(server).boxed().toList());
		result.put("copy_rounds", Arrays.stream(copy).boxed().toList());
		result.put("target", "parse + MetricPoints.append >= 50,000 points/s");
		result.put("target_met", met);
		result.put("postgres", "embedded (zonky) with the server's settings (fsync, synchronous_commit and full_page_writes on), fresh cluster, Flyway migrations of nightshift-experiments");
		return result;
	}

	/** Lines as a training script prints them: a step and four metrics. */
	private List<String> log() {
		List<String> log = new ArrayList<>(lines);
		for (int step = 0; step < lines; step++) {
			double loss = 4.0 * Math.exp(-step / 20_000.0) + 0.01 * Math.sin(step);
			log.add(String.format("step=%d loss=%.5f lr=%.6f grad_norm=%.4f tokens_per_s=%.1f", step, loss,
					3e-4 * Math.min(1, step / 1000.0), 1 + 0.3 * Math.cos(step), 51234.5 + step % 97));
		}
		return log;
	}

	private static List<MetricPoint> parse(List<String> log) {
		List<MetricPoint> points = new ArrayList<>(log.size() * METRICS_PER_LINE);
		Instant now = Instant.now();
		int seq = 0;
		for (String line : log) {
			for (ParsedMetric metric : MetricLineParser.parse(line)) {
				points.add(new MetricPoint(seq++, metric.name(), metric.step(), metric.value(), now));
			}
		}
		return points;
	}

	/** Parses the log and appends in batches as the scheduler does, each batch with its offsets. */
	private static double viaServer(MetricPoints metrics, List<String> log, RunId run) {
		long start = System.nanoTime();
		List<MetricPoint> batch = new ArrayList<>(BATCH + METRICS_PER_LINE);
		Instant now = Instant.now();
		int seq = 0;
		long offset = 0;
		for (String line : log) {
			offset += line.length() + 1;
			for (ParsedMetric metric : MetricLineParser.parse(line)) {
				batch.add(new MetricPoint(seq++, metric.name(), metric.step(), metric.value(), now));
			}
			if (batch.size() >= BATCH) {
				metrics.append(run, batch, new MetricPoints.Offsets(offset, 0));
				batch = new ArrayList<>(BATCH + METRICS_PER_LINE);
			}
		}
		if (!batch.isEmpty()) {
			metrics.append(run, batch, new MetricPoints.Offsets(offset, 0));
		}
		return seq / seconds(start);
	}

	/** The same points through {@code COPY ... FROM STDIN}, text encoding included in the time. */
	private static double viaCopy(DataSource data, List<MetricPoint> points, RunId run) throws SQLException {
		long start = System.nanoTime();
		StringBuilder csv = new StringBuilder(points.size() * 64);
		for (MetricPoint point : points) {
			csv.append(run.value()).append(',').append(point.seq()).append(',').append(point.name()).append(',')
				.append(point.step() == null ? "" : point.step().toString()).append(',').append(point.value())
				.append(',').append(point.recordedAt()).append('\n');
		}
		try (Connection connection = data.getConnection()) {
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("copy metric_point (run_id, seq, name, step, value, recorded_at) from stdin (format csv)",
						new StringReader(csv.toString()));
		}
		catch (java.io.IOException e) {
			throw new SQLException(e);
		}
		return points.size() / seconds(start);
	}

	/** A rate means nothing if points went missing: every point of the round must be in the table. */
	private static void stored(DataSource data, RunId run, int expected) {
		long count = JdbcClient.create(data)
			.sql("select count(*) from metric_point where run_id = ?")
			.param(run.value())
			.query(Long.class)
			.single();
		if (count != expected) {
			throw new IllegalStateException("Run " + run.value() + " has " + count + " points stored, not " + expected);
		}
	}

	private static long experiment(DataSource data) {
		return JdbcClient.create(data)
			.sql("insert into experiment (name, spec, created_by, created_at) values ('bench', '{}', 'bench', now())"
					+ " returning id")
			.query(Long.class)
			.single();
	}

	private static RunId newRun(DataSource data, long experiment) {
		return new RunId(JdbcClient.create(data)
			.sql("insert into run (experiment_id, kind, status, params, queued_at) values (?, 'BASELINE', 'RUNNING',"
					+ " '{}', now()) returning id")
			.params(experiment)
			.query(Long.class)
			.single());
	}

	private static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}
}
