package dev.nightshift.experiments.importance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import dev.nightshift.experiments.Specs;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.importance.Importance.ParameterEffect;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parameter importance over runs in a real PostgreSQL, on the SPEC's micro-gpt space (lr on a log scale, n_embd,
 * act), where the objective is made to depend on lr's logarithm and on act, and not at all on n_embd.
 */
@NightshiftIntegrationTest
class ParameterImportanceTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	RegisterExperiment register;

	@Autowired
	ExperimentRepository experiments;

	@Autowired
	RunRepository runs;

	@Autowired
	ParameterImportance importance;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	private final Random random = new Random(3);

	private Experiment experiment;

	@BeforeEach
	void experiment() {
		experiment = register.register(Specs.microGpt(), "human:test");
	}

	@Test
	void theParametersTheObjectiveDependsOnComeFirstAndTheOneItIgnoresGetsAlmostNothing() {
		addRuns(60);

		Importance found = importance.of(experiment.id());

		assertThat(found.runsUsed()).isEqualTo(60);
		assertThat(found.trustworthy()).isTrue();
		assertThat(found.runsNeeded()).isEqualTo(10);
		assertThat(found.parameters()).extracting(ParameterEffect::name).containsExactly("lr", "act", "n_embd");
		assertThat(found.of("lr").orElseThrow().importance()).isGreaterThan(0.5);
		assertThat(found.of("n_embd").orElseThrow().importance()).isLessThan(0.05);
		assertThat(found.parameters().stream().mapToDouble(ParameterEffect::importance).sum()).isCloseTo(1, within(1e-9));
		assertThat(found.explained()).isGreaterThan(0.8);
		assertThat(found.note()).startsWith("From the 60 successful runs. The parameters explain 9");
	}

	@Test
	void fewRunsAreNotYetTrustworthyAndSayHowManyAreNeeded() {
		addRuns(6);

		Importance found = importance.of(experiment.id());

		assertThat(found.trustworthy()).isFalse();
		assertThat(found.note()).startsWith("From the 6 successful runs: not yet trustworthy, it needs 10 or more.");
	}

	@Test
	void anExperimentWithoutSuccessfulRunsHasNoImportanceYet() {
		Importance found = importance.of(experiment.id());

		assertThat(found.runsUsed()).isZero();
		assertThat(found.parameters()).extracting(ParameterEffect::importance).containsOnly(0.0);
		assertThat(found.note()).isEqualTo("Needs at least 2 successful runs; there are none.");
	}

	@Test
	void aConstantObjectiveMakesNoParameterImportant() {
		for (int i = 0; i < 20; i++) {
			insert(Map.of("lr", 0.001 * (i + 1), "n_embd", 8 + i, "act", i % 2 == 0 ? "tanh" : "relu"), 1.5);
		}

		Importance found = importance.of(experiment.id());

		assertThat(found.parameters()).extracting(ParameterEffect::importance).containsOnly(0.0);
		assertThat(found.note()).endsWith("The objective did not change with the parameters: none matters so far.");
	}

	@Test
	void aParameterNeverVariedIsMarkedSo() {
		for (int i = 0; i < 12; i++) {
			insert(Map.of("lr", 0.001 * (i + 1), "n_embd", 16, "act", "tanh"), 2 + i * 0.1);
		}

		Importance found = importance.of(experiment.id());

		assertThat(found.of("lr").orElseThrow().varied()).isTrue();
		assertThat(found.of("n_embd").orElseThrow().varied()).isFalse();
		assertThat(found.of("act").orElseThrow().importance()).isZero();
	}

	@Test
	void theEstimateIsKeptUntilARunOfTheExperimentIsJudged() {
		addRuns(12);
		assertThat(importance.of(experiment.id()).runsUsed()).isEqualTo(12);

		addRuns(1);
		assertThat(importance.of(experiment.id()).runsUsed()).as("no run was judged: the kept estimate").isEqualTo(12);

		finishThroughTheDomain(1.7);
		await().atMost(Duration.ofSeconds(30)).until(() -> importance.of(experiment.id()).runsUsed() == 14);
	}

	@Test
	void aLongHistoryIsCappedToItsNewestRuns() {
		ParameterImportance capped = new ParameterImportance(experiments, jdbc, new ImportanceProperties(25, 16));
		addRuns(40);

		Importance found = capped.of(experiment.id());

		assertThat(found.runsUsed()).isEqualTo(25);
		assertThat(found.capped()).isTrue();
		assertThat(found.note()).startsWith("From the newest 25 successful runs.");
	}

	@Test
	void anUnknownExperimentIsNotFound() {
		assertThatThrownBy(() -> importance.of(new ExperimentId(Long.MAX_VALUE))).isInstanceOf(NotFoundException.class);
	}

	/** Runs drawn over the space: val_loss falls with log(lr), relu is better by 0.5, n_embd does nothing. */
	private void addRuns(int n) {
		for (int i = 0; i < n; i++) {
			double lr = Math.exp(Math.log(1e-4) + random.nextDouble() * (Math.log(3e-2) - Math.log(1e-4)));
			String act = random.nextBoolean() ? "relu" : "tanh";
			double loss = 3 + 0.4 * Math.log(lr) + (act.equals("relu") ? -0.5 : 0) + 0.05 * random.nextGaussian();
			insert(Map.of("lr", lr, "n_embd", 8 + random.nextInt(57), "act", act), loss);
		}
	}

	/** A SUCCEEDED run written straight into the table: no event tells anyone about it. */
	private void insert(Map<String, Object> params, double objective) {
		jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, exit_code, queued_at, started_at, finished_at)
				values (?, 'PROPOSAL', 'SUCCEEDED', ?, ?, 0, now(), now(), now())""")
			.params(experiment.id().value(), JSON.writeValueAsString(params), objective)
			.update();
	}

	/** A run that finishes as the scheduler finishes them, so it is judged and {@code RunJudged} follows. */
	private void finishThroughTheDomain(double objective) {
		transactions.executeWithoutResult(tx -> {
			Run run = runs.save(Run.queue(experiment.id(), null, RunKind.PROPOSAL,
					Map.of("lr", 0.01, "n_embd", 16, "act", "tanh")));
			run.claim("cpu-0", "", "system");
			run.started(4242, null, null, "system");
			run.finish(RunStatus.SUCCEEDED, 0, objective, null, null, "system");
			runs.save(run);
		});
	}
}
