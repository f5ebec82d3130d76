package dev.nightshift.experiments.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.nightshift.experiments.Specs;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.Verdict;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two runs of one experiment finishing at the same instant, judged on real threads against a real PostgreSQL:
 * both get their verdict, and the better one is the best.
 */
@NightshiftIntegrationTest
class ConcurrentJudgingTest {

	@Autowired
	RegisterExperiment register;

	@Autowired
	ExperimentRepository experiments;

	@Autowired
	RunRepository runs;

	@Autowired
	JudgeRun judge;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	private final ExecutorService threads = Executors.newFixedThreadPool(2);

	private Experiment experiment;

	@BeforeEach
	void experimentWithAMeasuredBaseline() {
		experiment = register.register(Specs.microGpt(), "human:test");
		judge.judge(finishedQuietly(RunKind.BASELINE, 2.00));
		finishedQuietly(RunKind.BASELINE, 2.0001);
	}

	@AfterEach
	void stopThreads() {
		threads.shutdownNow();
	}

	@Test
	void twoJudgementsAtOnceBothGiveAVerdictAndTheBetterRunBecomesBest() throws Exception {
		RunId good = finishedQuietly(RunKind.PROPOSAL, 1.5);
		RunId better = finishedQuietly(RunKind.PROPOSAL, 1.0);
		CyclicBarrier together = new CyclicBarrier(2);

		List<Future<Boolean>> judged = List.of(good, better).stream()
			.map(run -> threads.submit(() -> {
				together.await();
				return judge.judge(run);
			}))
			.toList();

		for (Future<Boolean> judgement : judged) {
			assertThat(judgement.get(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(runs.require(good).verdict()).isPresent();
		assertThat(runs.require(better).verdict()).contains(Verdict.KEEP);
		assertThat(experiments.require(experiment.id()).bestRunId()).contains(better.value());
	}

	@Test
	void twoRunsFinishingAtOnceAreBothJudgedThroughTheirEvents() throws Exception {
		RunId good = running();
		RunId better = running();
		CyclicBarrier together = new CyclicBarrier(2);

		List<Future<Run>> finishing = List.of(Map.entry(good, 1.5), Map.entry(better, 1.0)).stream()
			.map(run -> threads.submit(() -> {
				together.await();
				return transactions.execute(tx -> {
					Run fresh = runs.require(run.getKey());
					fresh.finish(RunStatus.SUCCEEDED, 0, run.getValue(), null, null, "system");
					return runs.save(fresh);
				});
			}))
			.toList();
		for (Future<Run> finish : finishing) {
			finish.get(30, TimeUnit.SECONDS);
		}

		await().atMost(Duration.ofSeconds(30))
			.until(() -> runs.require(good).verdict().isPresent() && runs.require(better).verdict().isPresent());
		assertThat(runs.require(better).verdict()).contains(Verdict.KEEP);
		assertThat(experiments.require(experiment.id()).bestRunId()).contains(better.value());
		assertThat(judgeRunPublicationsLeftIncomplete()).isZero();
	}

	/** A SUCCEEDED run written straight into the table, as if its events had been lost: nothing judges it by itself. */
	private RunId finishedQuietly(RunKind kind, double objective) {
		long id = jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, exit_code, queued_at, started_at, finished_at)
				values (?, ?, 'SUCCEEDED', '{}', ?, 0, now(), now(), now()) returning id""")
			.params(experiment.id().value(), kind.name(), objective)
			.query(Long.class)
			.single();
		return new RunId(id);
	}

	private RunId running() {
		return transactions.execute(tx -> {
			Run run = runs.save(Run.queue(experiment.id(), null, RunKind.PROPOSAL, Map.of("lr", 0.01)));
			run.claim("cpu-0", "", "system");
			run.started(4242, null, null, "system");
			return runs.save(run).id();
		});
	}

	private int judgeRunPublicationsLeftIncomplete() {
		return jdbc.sql("select count(*) from event_publication where listener_id = 'judge-run' and completion_date is null")
			.query(Integer.class)
			.single();
	}
}
