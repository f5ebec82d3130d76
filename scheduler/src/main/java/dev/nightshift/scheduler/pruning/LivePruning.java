package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.scheduler.metrics.ParsedMetric;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies an experiment's pruning rule to its runs while they train, from the metric points the scheduler stores
 * anyway. Each experiment's curves are read from the database once, the first time one of its runs reports after
 * the server starts, and kept up to date in memory from then on; so a restart mid-run rebuilds exactly what the
 * rule had seen. Only proposal runs are ever pruned: baselines and replicates measure noise and confirm a gain,
 * and a shortened one would measure nothing.
 *
 * <p>Memory stays bounded by what is running: the curves of an experiment with no run reporting for {@link #IDLE} (its
 * loop stopped, it finished) are dropped when the next run of any experiment starts reporting, and they are read back from the stored points, as after a
 * restart, if one of its runs reports again. The rule then decides exactly as it would have with the curves kept.
 */
@Component
public class LivePruning {

	private static final Logger log = LoggerFactory.getLogger(LivePruning.class);

	/** Statuses whose curves a rule compares with: the finished, the stopped early and the still running. */
	private static final List<String> CURVE_STATUSES = List.of(RunStatus.SUCCEEDED.name(), RunStatus.PRUNED.name(),
			RunStatus.TIMED_OUT.name(), RunStatus.RUNNING.name());

	private final JdbcClient jdbc;
	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final Map<Long, ExperimentCurves> byExperiment = new ConcurrentHashMap<>();
	private final Map<RunId, Watched> watched = new ConcurrentHashMap<>();
	/** Experiments with curves in memory but no run reporting, since when. */
	private final Map<Long, Instant> idleSince = new ConcurrentHashMap<>();

	/** How long an experiment's curves stay in memory after its last watched run ended. */
	static final Duration IDLE = Duration.ofMinutes(10);

	/** What is known of a run that reports: its experiment's curves (null without pruning) and its start. */
	private record Watched(long experiment, ExperimentCurves curves, boolean prunable, Instant startedAt) {}

	LivePruning(JdbcClient jdbc, RunRepository runs, ExperimentRepository experiments) {
		this.jdbc = jdbc;
		this.runs = runs;
		this.experiments = experiments;
	}

	/**
	 * Takes in a run's newly stored points and says whether its experiment's rule stops it now. Never throws: a
	 * fault here must not look like a failure to store the points.
	 *
	 * @return the rule's reason when the run is to be stopped
	 */
	public Optional<String> observe(RunId run, List<ParsedMetric> points) {
		try {
			Watched watch = watched.computeIfAbsent(run, this::watch);
			if (watch.curves() == null) {
				return Optional.empty();
			}
			double elapsed = Duration.between(watch.startedAt(), Instant.now()).toNanos() / 1e9;
			Optional<String> reason = watch.curves().observe(run.value(), points, elapsed, watch.prunable());
			if (reason.isPresent()) {
				// Decided once: the points it prints while it stops change nothing.
				watched.put(run, new Watched(watch.experiment(), watch.curves(), false, watch.startedAt()));
				log.info("Pruning run {}: {}", run, reason.get());
			}
			return reason;
		} catch (RuntimeException fault) {
			log.warn("Could not apply the pruning rule to run {}; it goes on", run, fault);
			return Optional.empty();
		}
	}

	/** The run has ended with {@code outcome}: its curve becomes a finished one, or stops counting. */
	public void ended(RunId run, RunStatus outcome) {
		Watched watch = watched.remove(run);
		Long experiment = watch != null ? Long.valueOf(watch.experiment())
				: runs.findById(run.value()).map(found -> found.experimentId().value()).orElse(null);
		ExperimentCurves curves = experiment == null ? null : byExperiment.get(experiment);
		if (curves != null) {
			curves.ended(run.value(), outcome);
			synchronized (byExperiment) {
				if (!isWatched(experiment)) {
					idleSince.put(experiment, Instant.now());
				}
			}
		}
	}

	/**
	 * Drops the curves of every experiment that has had no run reporting since before {@code now - idle}; they are
	 * read back from the stored points when one of its runs reports again.
	 */
	void evictIdle(Instant now, Duration idle) {
		synchronized (byExperiment) {
			idleSince.entrySet().removeIf(entry -> {
				boolean evict = entry.getValue().isBefore(now.minus(idle)) && !isWatched(entry.getKey());
				if (evict) {
					byExperiment.remove(entry.getKey());
					log.info("Pruning for experiment {}: curves dropped after {} without a running run", entry.getKey(),
							idle);
				}
				return evict;
			});
		}
	}

	/** How many experiments' curves are in memory. */
	int experimentsHeld() {
		return byExperiment.size();
	}

	private boolean isWatched(long experiment) {
		for (Watched watch : watched.values()) {
			if (watch.experiment() == experiment) {
				return true;
			}
		}
		return false;
	}

	private Watched watch(RunId id) {
		Run run = runs.require(id);
		ExperimentSpec spec = experiments.require(run.experimentId()).spec();
		Optional<PruningRule> rule = PruningRules.of(spec);
		long experimentId = run.experimentId().value();
		if (rule.isEmpty()) {
			return new Watched(experimentId, null, false, Instant.now());
		}
		evictIdle(Instant.now(), IDLE);
		ExperimentCurves curves;
		synchronized (byExperiment) {
			curves = byExperiment.computeIfAbsent(experimentId,
					experiment -> load(experiment, spec.pruning().metric(), rule.get()));
			idleSince.remove(experimentId);
		}
		return new Watched(experimentId, curves, run.kind() == RunKind.PROPOSAL,
				run.startedAt().orElseGet(Instant::now));
	}

	/** Every curve of the experiment so far, point by point in the order reported, read once. */
	private ExperimentCurves load(long experiment, String metric, PruningRule rule) {
		ExperimentCurves curves = new ExperimentCurves(metric, rule);
		Map<Long, RunStatus> statuses = new HashMap<>();
		jdbc.sql("""
				select r.id, r.status, p.step, p.value,
				       extract(epoch from p.recorded_at - coalesce(r.started_at, p.recorded_at)) as elapsed
				from run r join metric_point p on p.run_id = r.id and p.name = :metric
				where r.experiment_id = :experiment and r.status in (:statuses)
				order by r.id, p.seq""")
			.param("metric", metric)
			.param("experiment", experiment)
			.param("statuses", CURVE_STATUSES)
			.query(rs -> {
				long run = rs.getLong("id");
				statuses.put(run, RunStatus.valueOf(rs.getString("status")));
				curves.load(run, rs.getObject("step", Long.class), rs.getDouble("value"), rs.getDouble("elapsed"));
			});
		statuses.forEach(curves::ended);
		log.info("Pruning for experiment {} starts from {} runs' curves of {}", experiment, curves.runs(), metric);
		return curves;
	}
}
