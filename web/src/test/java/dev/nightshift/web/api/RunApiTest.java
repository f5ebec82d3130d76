package dev.nightshift.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.experiments.run.RunUsages;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

@WebIntegrationTest
class RunApiTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Autowired
	RegisterExperiment register;

	@Autowired
	RunRepository runs;

	@Autowired
	QuestionRepository questions;

	@Autowired
	MetricPoints metrics;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	RunUsages usages;

	Experiment experiment;
	Run good;
	Run better;
	Run failed;

	@BeforeEach
	void seedRuns() {
		experiment = register.register(new ExperimentSpecParser().parseYaml(Yaml.microGpt()), "human:test");
		good = finished(RunStatus.SUCCEEDED, 2.5);
		better = finished(RunStatus.SUCCEEDED, 1.9);
		failed = finished(RunStatus.FAILED, null);
	}

	@Test
	void aRunShowsWhatItUsedOfItsSlotInTheListAndOnItsOwn() throws Exception {
		usages.save(good.id(), new RunUsage(RunUsage.GPU, 12, 87.5, 99.0, 20480.0));

		mvc.perform(get("/api/runs/" + good.id()).with(as.viewer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.usage.kind").value("GPU"))
			.andExpect(jsonPath("$.usage.samples").value(12))
			.andExpect(jsonPath("$.usage.utilAvg").value(87.5))
			.andExpect(jsonPath("$.usage.utilPeak").value(99.0))
			.andExpect(jsonPath("$.usage.memoryPeakMb").value(20480.0));
		mvc.perform(get("/api/experiments/" + experiment.id() + "/runs?sort=objective,asc").with(as.viewer()))
			.andExpect(jsonPath("$.items[1].id").value(id(good)))
			.andExpect(jsonPath("$.items[1].usage.utilAvg").value(87.5))
			.andExpect(jsonPath("$.items[0].usage").value(nullValue()));
		// Before its first sample a run has none.
		mvc.perform(get("/api/runs/" + better.id()).with(as.viewer())).andExpect(jsonPath("$.usage").value(nullValue()));
	}

	@Test
	void runsAreSortedByObjectiveWithRunsWithoutOneLast() throws Exception {
		mvc.perform(get("/api/experiments/" + experiment.id() + "/runs?sort=objective,asc").with(as.viewer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].id", contains(id(better), id(good), id(failed))));
		mvc.perform(get("/api/experiments/" + experiment.id() + "/runs?sort=-objective").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains(id(good), id(better), id(failed))));
	}

	@Test
	void runsAreFilteredByStatusAndPaged() throws Exception {
		mvc.perform(get("/api/experiments/" + experiment.id() + "/runs?status=FAILED").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains(id(failed))));
		mvc.perform(get("/api/experiments/" + experiment.id() + "/runs?status=SUCCEEDED&size=1&page=1").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains(id(good))))
			.andExpect(jsonPath("$.totalItems").value(2));
	}

	@Test
	void sortingByAnUnknownFieldNamesTheAllowedOnes() throws Exception {
		mvc.perform(get("/api/experiments/" + experiment.id() + "/runs?sort=password").with(as.viewer()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("sort"));
		mvc.perform(get("/api/experiments/" + experiment.id() + "/runs?size=100000").with(as.viewer()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("size"));
	}

	@Test
	void oneRunShowsItsOutcomeHistoryAndMetricPoints() throws Exception {
		metrics.append(better.id(), List.of(new MetricPoint(0, "loss", 10L, 3.0, Instant.now()),
				new MetricPoint(1, "loss", 20L, Double.NaN, Instant.now()), new MetricPoint(2, "val_loss", null, 1.9, Instant.now())));
		mvc.perform(get("/api/runs/" + better.id()).with(as.viewer()))
			.andExpect(jsonPath("$.status").value("SUCCEEDED"))
			.andExpect(jsonPath("$.objective").value(1.9))
			.andExpect(jsonPath("$.slot").value("cpu-0"))
			.andExpect(jsonPath("$.history[*].to", contains("QUEUED", "STARTING", "RUNNING", "SUCCEEDED")));
		mvc.perform(get("/api/runs/" + better.id() + "/metrics?name=loss").with(as.viewer()))
			.andExpect(jsonPath("$[*].step", contains(10, 20)))
			.andExpect(jsonPath("$[1].value").value("NaN"));
		mvc.perform(get("/api/runs/" + better.id() + "/log").with(as.viewer())).andExpect(status().isNotFound());
		mvc.perform(get("/api/runs/987654321").with(as.viewer())).andExpect(status().isNotFound());
	}

	@Test
	void deadEndLogListsOnlyDeadEnds() throws Exception {
		Question open = questions.save(Question.open(experiment.id(), null, "Is a wider model better?", "human:test"));
		Question dead = questions.save(Question.open(experiment.id(), null, "Does relu help?", "human:test"));
		dead.close(QuestionStatus.DEAD_END, "three runs, none better than baseline", "strategy:test");
		questions.save(dead);
		mvc.perform(get("/api/experiments/" + experiment.id() + "/questions?status=DEAD_END").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains((int) dead.id().value())))
			.andExpect(jsonPath("$.items[0].conclusion").value("three runs, none better than baseline"));
		mvc.perform(get("/api/experiments/" + experiment.id() + "/questions").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains((int) dead.id().value(), (int) open.id().value())));
		String export = mvc.perform(get("/api/experiments/" + experiment.id() + "/dead-ends.tsv").with(as.viewer()))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(export.lines().toList()).hasSize(2)
			.first().isEqualTo("question\tstatus\truns\tclosed_at\tconclusion");
		assertThat(export.lines().toList().get(1)).startsWith("Does relu help?\tDEAD_END\t0\t")
			.endsWith("\tthree runs, none better than baseline");
	}

	/** A finished run, written in one transaction so that the live dispatcher never sees it queued. */
	private Run finished(RunStatus outcome, Double objective) {
		return transactions.execute(tx -> {
			Run run = runs.save(Run.queue(experiment.id(), null, RunKind.BASELINE, Map.of("lr", 0.003)));
			run.claim("cpu-0", "", "system");
			run.started(4242, null, "abc123", "system");
			run.finish(outcome, outcome == RunStatus.SUCCEEDED ? 0 : 1, objective, null, null, "system");
			return runs.save(run);
		});
	}

	private static int id(Run run) {
		return (int) run.id().value();
	}
}
