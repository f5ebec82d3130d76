package dev.nightshift.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * History at scale: the morning after a long campaign, with 100,000 runs and 10,000,000 metric points in the
 * database. Latency of what a person opens: the runs list (filtered, sorted, paged) through the API and as the
 * page's table, the experiment page and its chart, and a run page with its curves, through the real server
 * ({@code java -jar}) over HTTP, measured by the client from request to last byte.
 */
final class HistoryBench {

	static final int RUNS = 100_000;
	static final long POINTS = 10_000_000;
	static final int REQUESTS = 60;
	/** A few long runs hold a tenth of the points: the curves of a run that logged every step. */
	static final int LONG_RUNS = 10;
	static final double TARGET_P95_MS = 300;
	private static final int WARM_UP = 5;
	private static final int PAGE_SIZE = 50;

	private final Path jar;
	private final int runs;
	private final long points;
	private final int requests;

	HistoryBench(Path jar, int runs, long points, int requests) {
		if (runs <= LONG_RUNS) {
			throw new IllegalArgumentException("History needs more than " + LONG_RUNS + " runs, got " + runs);
		}
		this.jar = jar;
		this.runs = runs;
		this.points = points;
		this.requests = requests;
	}

	/** One kind of request: what it is, and the path of its {@code i}-th instance. */
	private record Probe(String name, Request request) {
	}

	@FunctionalInterface
	private interface Request {
		NightshiftServer.Answer send(int i) throws Exception;
	}

	Map<String, Object> run() throws Exception {
		Path work = Files.createTempDirectory("nightshift-history-");
		Files.createDirectories(work.resolve("history"));
		Files.writeString(work.resolve("history").resolve("train.py"), "print('val_loss: 1.0')\n");
		try (BenchDatabase postgres = BenchDatabase.start()) {
			String url = postgres.create("history");
			try (NightshiftServer server = NightshiftServer.start(jar, url, work.resolve("home"),
					"nightshift.scheduler.nvidia-smi=false", "nightshift.scheduler.source-root=" + work)) {
				long experiment = server.json("POST", "/api/experiments", "application/yaml", """
						name: history
						source: history
						command: python3 train.py
						editable: [train.py]
						objective: {metric: val_loss, goal: minimize}
						budget: {run: 5m}
						brief: A campaign long over; only its history is read.
						parameters:
						  lr: {type: float, min: 1.0e-4, max: 1.0, log: true, default: 1.0e-3}
						""").get("id").asLong();
				Seeded seeded;
				try (HikariDataSource data = postgres.migrated("history")) {
					seeded = seed(JdbcClient.create(data), experiment);
				}
				long hold = Long.getLong("bench.hold.minutes", 0);
				if (hold > 0) {
					// For looking around by hand: the seeded server and database stay up for a while.
					System.out.println("Holding for " + hold + " min: database " + url + " (user postgres), server "
							+ server.baseUrl() + " (admin / " + NightshiftServer.PASSWORD + "), experiment " + experiment);
					Thread.sleep(hold * 60_000);
				}
				return measure(server, experiment, seeded);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(work);
		}
	}

	/** What the seeding made: counts, and runs to open. */
	private record Seeded(long runs, long points, long longRun, long typicalRun, double seedSeconds) {
	}

	private Seeded seed(JdbcClient jdbc, long experiment) {
		long started = System.nanoTime();
		jdbc.sql("""
				insert into question (experiment_id, text, status, created_by, created_at)
				select ?, 'Does idea ' || g || ' lower val_loss?', case when g % 4 = 0 then 'DEAD_END' else 'OPEN' end,
				       'strategy:bench', now() from generate_series(1, 100) g""")
			.param(experiment)
			.update();
		jdbc.sql("""
				insert into proposal (experiment_id, question_id, status, params, rationale, proposer, created_at)
				select ?, (select min(id) from question where experiment_id = ?) + g % 100, 'DONE',
				       '{"lr": ' || (0.0001 + g % 997 / 1000.0) || '}', 'rationale ' || g, 'strategy:bench',
				       now() - (? - g) * interval '1 minute' - interval '10 seconds'
				from generate_series(1, ?) g""")
			.params(experiment, experiment, runs, runs)
			.update();
		// One run per proposal, one in ten failed, a minute apart, eight GPUs.
		jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, slot, commit_sha, exit_code, objective,
				                 verdict, queued_at, started_at, finished_at)
				select :experiment, (select min(id) from proposal where experiment_id = :experiment) + g - 1, 'PROPOSAL',
				       case when g % 10 = 0 then 'FAILED' else 'SUCCEEDED' end,
				       '{"lr": ' || (0.0001 + g % 997 / 1000.0) || '}', 'gpu-' || g % 8,
				       md5(g::text), case when g % 10 = 0 then 1 else 0 end,
				       case when g % 10 = 0 then null else 1.0 + (g * 7919 % 100000) / 100000.0 end,
				       case when g % 10 = 0 then null else 'DISCARD' end,
				       now() - (:runs - g) * interval '1 minute', now() - (:runs - g) * interval '1 minute',
				       now() - (:runs - g) * interval '1 minute' + interval '50 seconds'
				from generate_series(1, :runs) g""")
			.param("experiment", experiment)
			.param("runs", runs)
			.update();
		jdbc.sql("""
				update experiment set best_run_id = (select id from run where experiment_id = :e and objective is not null
				                                     order by objective limit 1) where id = :e""")
			.param("e", experiment)
			.update();
		// A tenth of the points in the newest successful runs, one point a step; the rest spread over every
		// other run, two metrics a step.
		long perLongRun = points / 10 / LONG_RUNS / 2 * 2;
		long perRun = (points - perLongRun * LONG_RUNS) / (runs - LONG_RUNS) / 2 * 2;
		List<Long> longRuns = jdbc.sql("""
				select id from run where experiment_id = ? and status = 'SUCCEEDED' order by id desc limit ?""")
			.params(experiment, LONG_RUNS)
			.query(Long.class)
			.list();
		// The benchmark's own database: the foreign key checks are skipped while it is filled (the rows are
		// right by construction), which takes minutes off the seeding and changes nothing that is measured.
		jdbc.sql("set session_replication_role = replica").update();
		jdbc.sql("""
				insert into metric_point (run_id, seq, name, step, value, recorded_at)
				select r.id, s * 2 + m, case m when 0 then 'loss' else 'grad_norm' end, s,
				       case m when 0 then 4.0 * exp(-s / 20.0) + 1.0 else 1.0 + 0.1 * sin(s) end,
				       r.started_at + s * interval '1 second'
				from run r, generate_series(0, :steps - 1) s, generate_series(0, 1) m
				where r.experiment_id = :e and r.id <> all (:long)""")
			.param("steps", perRun / 2)
			.param("e", experiment)
			.param("long", longRuns.toArray(Long[]::new))
			.update();
		jdbc.sql("""
				insert into metric_point (run_id, seq, name, step, value, recorded_at)
				select r, s * 2 + m, case m when 0 then 'loss' else 'val_loss' end, s,
				       case m when 0 then 4.0 * exp(-s / 20000.0) + 1.0 + 0.05 * sin(s) else 4.0 * exp(-s / 20000.0) + 1.05 end,
				       now() + s * interval '10 milliseconds'
				from unnest(:long) r, generate_series(0, :steps - 1) s, generate_series(0, 1) m""")
			.param("long", longRuns.toArray(Long[]::new))
			.param("steps", perLongRun / 2)
			.update();
		jdbc.sql("set session_replication_role = origin").update();
		jdbc.sql("vacuum analyze").update();
		long total = jdbc.sql("select count(*) from metric_point").query(Long.class).single();
		long typical = jdbc.sql("select min(id) + ? from run where experiment_id = ?")
			.params(runs / 2, experiment)
			.query(Long.class)
			.single();
		return new Seeded(runs, total, longRuns.get(0), typical, (System.nanoTime() - started) / 1e9);
	}

	/** Five consecutive runs from {@code first}, as the compare page takes them. */
	private static String compared(long first) {
		return first + "," + (first + 1) + "," + (first + 2) + "," + (first + 3) + "," + (first + 4);
	}

	private Map<String, Object> measure(NightshiftServer server, long experiment, Seeded seeded) throws Exception {
		NightshiftServer.Session browser = server.signIn();
		int successPages = (int) Math.ceil(runs * 0.9 / PAGE_SIZE);
		Random random = new Random(42);
		int[] pages = random.ints(requests + WARM_UP, 1, successPages + 1).toArray();
		String e = "/experiments/" + experiment;
		List<Probe> probes = List.of(
				new Probe("API runs list: SUCCEEDED by objective, a random page of 50",
						i -> server.get("/api" + e + "/runs?status=SUCCEEDED&sort=objective,asc&size=" + PAGE_SIZE
								+ "&page=" + (pages[i] - 1))),
				new Probe("runs table (htmx): FAILED,SUCCEEDED by -finishedAt, a random page",
						i -> browser.get(e + "?status=FAILED,SUCCEEDED&sort=-finishedAt&page=" + pages[i], "HX-Target",
								"runs")),
				new Probe("experiment page (HTML)", i -> browser.get(e)),
				new Probe("experiment objective chart (JSON)", i -> browser.get(e + "/objective")),
				new Probe("parameter importance (JSON), estimated once, then kept until a run is judged",
						i -> server.get("/api" + e + "/importance")),
				new Probe("experiment page's importance section (htmx)", i -> browser.get(e + "/importance")),
				new Probe("run page (HTML), run with " + (seeded.points() / 10 / LONG_RUNS) + " points",
						i -> browser.get("/runs/" + seeded.longRun())),
				new Probe("run curves (JSON), same run", i -> browser.get("/runs/" + seeded.longRun() + "/curves")),
				new Probe("run page + curves, a typical run",
						i -> sum(browser.get("/runs/" + (seeded.typicalRun() + i)),
								browser.get("/runs/" + (seeded.typicalRun() + i) + "/curves"))),
				new Probe("parallel coordinates (JSON): the 200 best and an even sample, up to 2,000 lines",
						i -> browser.get(e + "/parallel")),
				new Probe("compare page (HTML): 5 runs side by side, with their code diffs",
						i -> browser.get("/compare?runs=" + compared(seeded.typicalRun() + i * 5))),
				new Probe("compare page + the 5 runs' curves", i -> {
					long first = seeded.typicalRun() + 100 + i * 5;
					NightshiftServer.Answer answer = browser.get("/compare?runs=" + compared(first));
					for (long run = first; run < first + 5; run++) {
						answer = sum(answer, browser.get("/runs/" + run + "/curves"));
					}
					return answer;
				}));
		Map<String, List<Double>> latencies = new LinkedHashMap<>();
		Map<String, Long> bytes = new LinkedHashMap<>();
		// Round-robin, so that every kind of request meets the same conditions.
		for (int i = 0; i < requests + WARM_UP; i++) {
			for (Probe probe : probes) {
				NightshiftServer.Answer answer = probe.request().send(i);
				if (answer.status() != 200) {
					throw new IllegalStateException(probe.name() + " answered " + answer.status() + ": "
							+ answer.body().substring(0, Math.min(500, answer.body().length())));
				}
				if (i >= WARM_UP) {
					latencies.computeIfAbsent(probe.name(), name -> new ArrayList<>()).add(answer.took().toNanos() / 1e6);
					bytes.put(probe.name(), (long) answer.body().length());
				}
			}
		}
		return report(seeded, latencies, bytes);
	}

	private static NightshiftServer.Answer sum(NightshiftServer.Answer page, NightshiftServer.Answer curves) {
		return new NightshiftServer.Answer(Math.max(page.status(), curves.status()), page.body() + curves.body(),
				page.took().plus(curves.took()));
	}

	private Map<String, Object> report(Seeded seeded, Map<String, List<Double>> latencies, Map<String, Long> bytes) {
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("request", "p50 ms", "p95 ms", "max ms", "bytes"));
		Map<String, Object> requestsResult = new LinkedHashMap<>();
		double worstP95 = 0;
		for (Map.Entry<String, List<Double>> entry : latencies.entrySet()) {
			double p50 = DutyCycleBench.percentile(entry.getValue(), 50);
			double p95 = DutyCycleBench.percentile(entry.getValue(), 95);
			double max = DutyCycleBench.percentile(entry.getValue(), 100);
			worstP95 = Math.max(worstP95, p95);
			rows.add(List.of(entry.getKey(), String.format("%.0f", p50), String.format("%.0f", p95),
					String.format("%.0f", max), String.format("%,d", bytes.get(entry.getKey()))));
			Map<String, Object> numbers = new LinkedHashMap<>();
			numbers.put("p50_ms", p50);
			numbers.put("p95_ms", p95);
			numbers.put("max_ms", max);
			numbers.put("bytes", bytes.get(entry.getKey()));
			requestsResult.put(entry.getKey(), numbers);
		}
		Bench.table(String.format("history: %,d runs, %,d metric points (seeded in %.0f s); %d requests of each kind",
				seeded.runs(), seeded.points(), seeded.seedSeconds(), requests), rows);
		boolean met = worstP95 < TARGET_P95_MS;
		System.out.println("target (p95 < 300 ms for every request): " + (met ? "MET" : "NOT MET"));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("runs", seeded.runs());
		result.put("metric_points", seeded.points());
		result.put("seed_seconds", seeded.seedSeconds());
		result.put("requests_per_kind", requests);
		result.put("requests", requestsResult);
		result.put("worst_p95_ms", worstP95);
		result.put("target", "p95 < 300 ms for every request");
		result.put("target_met", met);
		return result;
	}
}
