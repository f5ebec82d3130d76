package dev.nightshift.web.monitoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gauges of what the database holds: runs by experiment and status, the queue, proposals by status and proposer,
 * each experiment's loop state. Four grouped queries every {@value #REFRESH_SECONDS} s on a thread of their own
 * (the run counts come from the {@code (experiment_id, status)} index), so a scrape never waits on the database
 * and many scrapers cost nothing more.
 */
@Component
class DatabaseGauges implements SmartInitializingSingleton, DisposableBean {

	static final long REFRESH_SECONDS = 15;

	private static final Logger log = LoggerFactory.getLogger(DatabaseGauges.class);

	private final JdbcClient jdbc;
	private final MultiGauge runs;
	private final MultiGauge proposals;
	private final MultiGauge loops;
	private final AtomicLong queued = new AtomicLong();
	private final AtomicLong waiting = new AtomicLong();
	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
		Thread t = new Thread(task, "nightshift-metrics");
		t.setDaemon(true);
		return t;
	});

	DatabaseGauges(JdbcClient jdbc, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.runs = MultiGauge.builder("nightshift.runs").description("Runs by experiment and status").register(registry);
		this.proposals = MultiGauge.builder("nightshift.proposals").description("Proposals by status and proposer")
			.register(registry);
		this.loops = MultiGauge.builder("nightshift.loop.state")
			.description("1 for the state of each experiment's latest loop").register(registry);
		Gauge.builder("nightshift.queue.depth", queued, AtomicLong::get).description("Runs waiting for a slot")
			.register(registry);
		Gauge.builder("nightshift.proposals.waiting", waiting, AtomicLong::get)
			.description("Proposals waiting for a person's decision").register(registry);
	}

	@Override
	public void afterSingletonsInstantiated() {
		thread.scheduleWithFixedDelay(this::refreshSafely, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
	}

	private void refreshSafely() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			log.warn("Reading the domain gauges failed; they keep their last values: {}", ex.toString());
		}
	}

	/** Reads the database once and replaces every row of the gauges. */
	void refresh() {
		List<MultiGauge.Row<?>> runRows = new ArrayList<>();
		long[] queue = { 0 };
		jdbc.sql("""
				select e.name, r.status, count(*) as n
				from run r join experiment e on e.id = r.experiment_id group by e.name, r.status""")
			.query(rs -> {
				long n = rs.getLong("n");
				if ("QUEUED".equals(rs.getString("status"))) {
					queue[0] += n;
				}
				runRows.add(MultiGauge.Row.of(Tags.of("experiment", rs.getString("name"), "status", rs.getString("status")), n));
			});
		Map<Tags, Long> byProposer = new HashMap<>();
		long[] undecided = { 0 };
		jdbc.sql("select status, proposer, count(*) as n from proposal group by status, proposer").query(rs -> {
			long n = rs.getLong("n");
			if ("PROPOSED".equals(rs.getString("status"))) {
				undecided[0] += n;
			}
			byProposer.merge(Tags.of("status", rs.getString("status"), "proposer",
					Proposers.label(rs.getString("proposer"))), n, Long::sum);
		});
		List<MultiGauge.Row<?>> loopRows = new ArrayList<>();
		jdbc.sql("""
				select distinct on (l.experiment_id) e.name, l.status
				from research_loop l join experiment e on e.id = l.experiment_id
				order by l.experiment_id, l.id desc""")
			.query(rs -> {
				loopRows.add(MultiGauge.Row.of(Tags.of("experiment", rs.getString("name"), "state", rs.getString("status")), 1));
			});
		runs.register(runRows, true);
		proposals.register(byProposer.entrySet().stream()
			.<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
			.toList(), true);
		loops.register(loopRows, true);
		queued.set(queue[0]);
		waiting.set(undecided[0]);
	}

	@Override
	public void destroy() {
		thread.shutdownNow();
	}
}
