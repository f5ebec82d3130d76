package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import dev.nightshift.experiments.experiment.Experiment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A morning after a long campaign: a hundred thousand runs, each of its own proposal (a proposal has one run). The experiment page pages,
 * filters and sorts in SQL and reads the rows' proposals in one query, so every view answers quickly.
 */
@BrowserTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyRunsTest {

	private static final Logger log = LoggerFactory.getLogger(ManyRunsTest.class);

	static final int RUNS = 100_000;
	/** Generous for a two-core machine; a page that loaded every run would take far longer. */
	static final Duration FAST = Duration.ofSeconds(3);

	@Autowired
	MockMvc mvc;

	@Autowired
	Seed seed;

	@Autowired
	JdbcClient jdbc;

	Experiment experiment;

	@BeforeAll
	void aHundredThousandRuns() {
		experiment = seed.experiment();
		long id = experiment.id().value();
		jdbc.sql("""
				insert into question (experiment_id, text, status, created_by, created_at)
				select ?, 'question ' || g, 'OPEN', 'strategy:test', now() from generate_series(1, 10) g""")
			.param(id)
			.update();
		jdbc.sql("""
				insert into proposal (experiment_id, question_id, status, params, rationale, proposer, created_at)
				select ?, (select min(id) from question where experiment_id = ?) + g % 10, 'DONE',
				       '{"lr": 0.003}', 'rationale ' || g, 'strategy:test', now()
				from generate_series(1, ?) g""")
			.params(id, id, RUNS)
			.update();
		jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, slot, commit_sha, exit_code, objective,
				                 verdict, queued_at, started_at, finished_at)
				select :experiment, (select min(id) from proposal where experiment_id = :experiment) + g - 1, 'PROPOSAL',
				       case when g % 10 = 0 then 'FAILED' else 'SUCCEEDED' end, '{"lr": 0.003}', 'gpu-' || g % 8,
				       md5(g::text), case when g % 10 = 0 then 1 else 0 end,
				       case when g % 10 = 0 then null else 1.0 + (g * 7919 % 100000) / 100000.0 end,
				       case when g % 10 = 0 then null else 'DISCARD' end,
				       now() - (:runs - g) * interval '1 minute', now() - (:runs - g) * interval '1 minute',
				       now() - (:runs - g) * interval '1 minute' + interval '50 seconds'
				from generate_series(1, :runs) g""")
			.param("experiment", id)
			.param("runs", RUNS)
			.update();
		jdbc.sql("analyze run").update();
		jdbc.sql("analyze proposal").update();
	}

	@Test
	void everyViewOfTheRunsTableAnswersQuickly() throws Exception {
		String page = "/experiments/" + experiment.id();
		fetch(page);
		assertFast(page);
		assertFast(page + "?sort=objective&page=1500");
		assertFast(page + "?sort=-objective");
		assertFast(page + "?status=FAILED&sort=-finishedAt&page=150");
		assertFast(page + "?status=SUCCEEDED,FAILED&sort=startedAt&page=1999&size=50");
		assertFast(page + "/objective");
		assertFast("/");
	}

	@Test
	void theFirstPageSortedByObjectiveHoldsTheBestRuns() throws Exception {
		String html = fetch("/experiments/" + experiment.id() + "?sort=objective&size=10");
		assertThat(html).contains("runs 1–10 of 100000", "page 1 of 10000");
		Double best = jdbc.sql("select min(objective) from run where experiment_id = ?")
			.param(experiment.id().value())
			.query(Double.class)
			.single();
		assertThat(html).contains(new Formats().number(best));
		String chart = fetch("/experiments/" + experiment.id() + "/objective");
		assertThat(chart).contains("\"total\":90000");
		// Only the latest runs are sent, but the best-so-far line counts the older ones too.
		JsonNode series = JsonMapper.builder().build().readTree(chart);
		assertThat(series.get("runs")).hasSize(ObjectiveChart.MAX_POINTS);
		JsonNode bestLine = series.get("best");
		assertThat(bestLine.get(0).asDouble()).isEqualTo(best);
		assertThat(bestLine.get(bestLine.size() - 1).asDouble()).isEqualTo(best);
	}

	@Test
	void theBrowserShowsTheTableAndTheLatestRunsInTheChart(Browser browser) {
		browser.signInAsAdmin();
		long started = System.nanoTime();
		browser.open("/experiments/" + experiment.id() + "?sort=objective");
		browser.waitFor("#objective-chart[data-drawn=true] canvas");
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		log.info("The experiment page with its chart of {} runs was drawn in {} ms", RUNS, took.toMillis());
		assertThat(took).isLessThan(FAST.multipliedBy(3));
		assertThat(browser.findAll("#runs tbody tr[data-run]")).hasSize(RunsQuery.DEFAULT_SIZE);
		assertThat(browser.text("#objective-chart")).contains("The latest " + ObjectiveChart.MAX_POINTS + " of 90000 successful and pruned runs.");
		browser.screenshot("experiment-100k-runs");
	}

	private void assertFast(String path) throws Exception {
		long started = System.nanoTime();
		fetch(path);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		log.info("{} answered in {} ms", path, took.toMillis());
		assertThat(took).as(path + " took " + took.toMillis() + " ms").isLessThan(FAST);
	}

	private String fetch(String path) throws Exception {
		return mvc.perform(get(path).with(user("viewer").roles("VIEWER")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}
}
