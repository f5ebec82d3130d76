package dev.nightshift.scheduler.pruning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.scheduler.metrics.ParsedMetric;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The live rule against runs stored in a real database: which runs it may stop, and that a server started anew
 * mid-run decides as the one before it would have, from the points stored.
 */
@NightshiftIntegrationTest
class LivePruningTest {

	@Autowired
	RegisterExperiment register;

	@Autowired
	ExperimentRepository experiments;

	@Autowired
	RunRepository runs;

	@Autowired
	MetricPoints metrics;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void aHopelessProposalRunIsPrunedWithTheMedianOfTheFinishedRuns() {
		Experiment experiment = experiment("{rule: median, min_runs: 2}");
		finished(experiment, 3.0, 2.0, 1.5, 1.2);
		finished(experiment, 3.2, 2.2, 1.7, 1.3);
		RunId candidate = running(experiment, RunKind.PROPOSAL, 5.0, 5.0);

		Optional<String> reason = fresh().observe(candidate, points(3, 4.0));

		assertThat(reason).contains("median rule: val_loss 4 at step 3 is worse than the median 1.6 of 2 runs");
	}

	@Test
	void baselinesAndReplicatesAreNeverPruned() {
		Experiment experiment = experiment("{rule: median, min_runs: 2}");
		finished(experiment, 1.0, 1.0);
		finished(experiment, 1.0, 1.0);
		LivePruning pruning = fresh();

		assertThat(pruning.observe(running(experiment, RunKind.BASELINE, 9.0), points(2, 9.0))).isEmpty();
		assertThat(pruning.observe(running(experiment, RunKind.REPLICATE, 9.0), points(2, 9.0))).isEmpty();
		assertThat(pruning.observe(running(experiment, RunKind.PROPOSAL, 9.0), points(2, 9.0))).isPresent();
	}

	@Test
	void anExperimentWithoutPruningStopsNothing() {
		Experiment experiment = experiment(null);
		finished(experiment, 1.0, 1.0);

		assertThat(fresh().observe(running(experiment, RunKind.PROPOSAL, 9.0), points(2, 9.0))).isEmpty();
	}

	@Test
	void aServerStartedMidRunRebuildsTheBestValueSoFarFromTheStoredPoints() {
		Experiment experiment = experiment("{rule: median, min_runs: 2}");
		finished(experiment, 3.0, 2.0, 1.5);
		finished(experiment, 3.0, 2.0, 1.5);
		RunId candidate = running(experiment, RunKind.PROPOSAL);
		LivePruning before = fresh();
		assertThat(observeAndStore(before, candidate, 1, 2.5)).isEmpty();

		LivePruning after = fresh();
		Optional<String> reason = observeAndStore(after, candidate, 2, 4.0);

		assertThat(reason).as("its best so far is the 2.5 the server before the restart saw")
			.contains("median rule: val_loss 2.5 at step 2 is worse than the median 2 of 2 runs");
	}

	@Test
	void aRunThatSucceedsWhileTheServerWatchesBecomesAFinishedRunOfTheRule() {
		Experiment experiment = experiment("{rule: median, min_runs: 2}");
		finished(experiment, 1.0, 1.0);
		RunId other = running(experiment, RunKind.PROPOSAL);
		RunId candidate = running(experiment, RunKind.PROPOSAL);
		LivePruning pruning = fresh();
		assertThat(observeAndStore(pruning, other, 1, 1.0)).isEmpty();
		assertThat(observeAndStore(pruning, other, 2, 1.0)).isEmpty();
		assertThat(observeAndStore(pruning, candidate, 1, 5.0)).as("only one run has finished").isEmpty();

		pruning.ended(other, RunStatus.SUCCEEDED);

		assertThat(observeAndStore(pruning, candidate, 2, 5.0)).hasValueSatisfying(
				reason -> assertThat(reason).contains("median 1 of 2 runs"));
	}

	@Test
	void ashaComparesWithEveryRunThatReachedTheRungWhileRunning() {
		Experiment experiment = experiment("{rule: asha, min_runs: 2, reduction_factor: 2, rungs: [0.5]}");
		finished(experiment, 3.0, 2.0, 1.0, 0.5);
		running(experiment, RunKind.PROPOSAL, 3.0, 2.5);
		running(experiment, RunKind.PROPOSAL, 3.0, 2.2);
		RunId candidate = running(experiment, RunKind.PROPOSAL, 4.0);

		Optional<String> reason = fresh().observe(candidate, points(2, 3.0));

		assertThat(reason).contains("ASHA rung 1 at step 2: val_loss 3 is not in the top 1/2 of 4 runs there"
				+ " (cutoff 2.35)");
	}

	@Test
	void anIdleExperimentsCurvesAreDroppedAndReadBackSoItsRunsAreJudgedAsIfTheyHadBeenKept() {
		Experiment experiment = experiment("{rule: median, min_runs: 2}");
		finished(experiment, 3.0, 2.0, 1.5);
		RunId first = running(experiment, RunKind.PROPOSAL);
		LivePruning evicting = fresh();
		LivePruning keeping = fresh();
		for (long step = 1; step <= 3; step++) {
			store(first, step, 1.0);
			assertThat(evicting.observe(first, points(step, 1.0))).isEmpty();
			assertThat(keeping.observe(first, points(step, 1.0))).isEmpty();
		}
		succeed(first);
		evicting.ended(first, RunStatus.SUCCEEDED);
		keeping.ended(first, RunStatus.SUCCEEDED);
		assertThat(evicting.experimentsHeld()).isEqualTo(1);

		evicting.evictIdle(Instant.now(), Duration.ofHours(1));
		assertThat(evicting.experimentsHeld()).as("idle for less than the hour given").isEqualTo(1);
		evicting.evictIdle(Instant.now().plus(Duration.ofHours(2)), Duration.ofHours(1));
		assertThat(evicting.experimentsHeld()).as("nothing of it is running: its curves go").isZero();

		RunId candidate = running(experiment, RunKind.PROPOSAL);
		LivePruning restarted = fresh();
		List<Optional<String>> decisions = new ArrayList<>();
		for (long step = 1; step <= 2; step++) {
			double value = step == 1 ? 1.9 : 2.5;
			store(candidate, step, value);
			Optional<String> kept = keeping.observe(candidate, points(step, value));
			assertThat(evicting.observe(candidate, points(step, value))).as("after eviction, step " + step).isEqualTo(kept);
			assertThat(restarted.observe(candidate, points(step, value))).as("after a restart, step " + step)
				.isEqualTo(kept);
			decisions.add(kept);
		}
		assertThat(decisions.get(0)).as("1.9 at step 1 is better than the median 2 of the two finished runs").isEmpty();
		assertThat(decisions.get(1)).contains("median rule: val_loss 1.9 at step 2 is worse than the median 1.5 of 2 runs");
		assertThat(evicting.experimentsHeld()).isEqualTo(1);
	}

	@Test
	void anExperimentWithARunStillReportingKeepsItsCurves() {
		Experiment experiment = experiment("{rule: median, min_runs: 2}");
		RunId first = running(experiment, RunKind.PROPOSAL);
		RunId second = running(experiment, RunKind.PROPOSAL);
		LivePruning pruning = fresh();
		observeAndStore(pruning, first, 1, 1.0);
		observeAndStore(pruning, second, 1, 1.0);

		pruning.ended(first, RunStatus.FAILED);
		pruning.evictIdle(Instant.now().plus(Duration.ofDays(1)), Duration.ofHours(1));

		assertThat(pruning.experimentsHeld()).as("the second run still reports").isEqualTo(1);
	}

	private void succeed(RunId id) {
		transactions.executeWithoutResult(tx -> {
			Run run = runs.require(id);
			run.finish(RunStatus.SUCCEEDED, 0, 1.0, null, null, "system");
			runs.save(run);
		});
	}

	private LivePruning fresh() {
		return new LivePruning(jdbc, runs, experiments);
	}

	private Experiment experiment(String pruning) {
		String yaml = """
				name: pruned-%s
				command: python3 train.py
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 10m}
				""".formatted(UUID.randomUUID().toString().substring(0, 8))
				+ (pruning == null ? "" : "pruning: " + pruning + "\n");
		return register.register(new ExperimentSpecParser().parseYaml(yaml), "human:test");
	}

	/** A run that ended SUCCEEDED with {@code values} at steps 1, 2, ... */
	private void finished(Experiment experiment, double... values) {
		RunId id = started(experiment, RunKind.BASELINE, run -> run.finish(RunStatus.SUCCEEDED, 0,
				values[values.length - 1], null, null, "system"));
		store(id, 1, values);
	}

	/** A RUNNING run with {@code values} stored at steps 1, 2, ... */
	private RunId running(Experiment experiment, RunKind kind, double... values) {
		RunId id = started(experiment, kind, run -> {});
		store(id, 1, values);
		return id;
	}

	/** Queued, claimed and started in one transaction, so that the dispatcher never sees it queued. */
	private RunId started(Experiment experiment, RunKind kind, Consumer<Run> then) {
		return transactions.execute(tx -> {
			Run run = runs.saveAndFlush(Run.queue(experiment.id(), null, kind, Map.of()));
			run.claim("cpu-0", "", "system");
			run.started(1, null, null, "system");
			then.accept(run);
			return runs.save(run).id();
		});
	}

	/** Stores the point first and shows it to the rule after, as the scheduler does. */
	private Optional<String> observeAndStore(LivePruning pruning, RunId run, long step, double value) {
		store(run, step, value);
		return pruning.observe(run, points(step, value));
	}

	private void store(RunId run, long firstStep, double... values) {
		int seq = metrics.nextSeq(run);
		List<MetricPoint> points = new ArrayList<>();
		for (int i = 0; i < values.length; i++) {
			points.add(new MetricPoint(seq + i, "val_loss", firstStep + i, values[i], Instant.now()));
		}
		metrics.append(run, points, new MetricPoints.Offsets(0, 0));
	}

	private static List<ParsedMetric> points(long step, double value) {
		return List.of(new ParsedMetric("loss", step, value * 10), new ParsedMetric("val_loss", step, value));
	}
}
