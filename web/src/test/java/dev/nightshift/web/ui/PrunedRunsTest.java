package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A pruned run shows up wherever runs do: the API, the runs table and its filter, the chart, the summary, the export. */
@BrowserTest
class PrunedRunsTest {

	private static final String REASON = "median rule: val_loss 2.9 at step 300 is worse than the median 2.1 of 2 runs";

	@Autowired
	Seed seed;

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	Experiment experiment;
	Run baseline;
	Run pruned;

	@BeforeEach
	void seedANightWithAPrunedRun() {
		experiment = seed.experiment();
		baseline = seed.finished(experiment, null, RunStatus.SUCCEEDED, 2.0);
		seed.finished(experiment, null, RunStatus.SUCCEEDED, 2.0);
		pruned = seed.pruned(experiment, seed.proposal(experiment, "Does a larger lr help?", Map.of("lr", 0.02), null,
				"Faster."), 2.9, REASON);
	}

	@Test
	void personFindsThePrunedRunInTheTableItsFilterTheChartAndTheSummary(Browser browser) {
		browser.signInAsAdmin().open("/experiments/" + experiment.id());

		assertThat(browser.find("tr[data-run='" + pruned.id() + "']").getText()).contains("PRUNED", "2.9", "DISCARD");
		assertThat(browser.text("#summary-pruned")).contains("1 run pruned", "slot-hours saved");
		assertThat(browser.waitFor("#objective-chart[data-drawn=true] canvas").isDisplayed()).isTrue();
		assertThat(browser.text("#objective-chart")).contains("pruned (where stopped)");

		browser.find("#runs .filters input[value=PRUNED]").click();
		browser.until(d -> browser.location().contains("status=PRUNED"));
		browser.until(d -> browser.findAll("#runs tbody tr[data-run]").stream()
			.map(row -> row.getAttribute("data-run"))
			.toList()
			.equals(List.of(pruned.id().toString())));
		browser.screenshot("experiment-pruned");
	}

	@Test
	void theApiFiltersPrunedRunsAndTheExportCallsThemDiscarded() throws Exception {
		JsonNode page = json("/api/experiments/" + experiment.id() + "/runs?status=PRUNED");
		assertThat(page.get("items")).singleElement().satisfies(run -> {
			assertThat(run.get("id").asLong()).isEqualTo(pruned.id().value());
			assertThat(run.get("status").asString()).isEqualTo("PRUNED");
			assertThat(run.toString()).contains(REASON);
		});

		String tsv = fetch("/api/experiments/" + experiment.id() + "/results.tsv");
		assertThat(tsv.lines()).anySatisfy(line -> assertThat(line).contains("\t2.900000\t", "\tdiscard\t",
				"(pruned: " + REASON + ")"));

		JsonNode chart = json("/experiments/" + experiment.id() + "/objective");
		int index = chart.get("runs").valueStream().map(JsonNode::asLong).toList().indexOf(pruned.id().value());
		assertThat(chart.get("pruned").get(index).asDouble()).isEqualTo(2.9);
		assertThat(chart.get("values").get(index).isNull()).isTrue();
		assertThat(chart.get("best").get(index).asDouble()).as("a pruned value is never a best").isEqualTo(2.0);
	}

	@Test
	void aBadPruningBlockIsABadRequestNamingTheField() throws Exception {
		String yaml = """
				name: pruned-bad
				command: python3 train.py
				objective: {metric: val_loss}
				budget: {run: 1m}
				pruning: {rule: hyperband, warmup: 300, rungs: [0.5, 0.2]}
				""";
		mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[?(@.field == 'pruning.rule')].rule").value("one-of"))
			.andExpect(jsonPath("$.errors[?(@.field == 'pruning.warmup')].rule").value("ambiguous"))
			.andExpect(jsonPath("$.errors[?(@.field == 'pruning.rungs[1]')].rule").value("out-of-range"));
	}

	private JsonNode json(String path) throws Exception {
		return JsonMapper.builder().build().readTree(fetch(path));
	}

	private String fetch(String path) throws Exception {
		return mvc.perform(get(path).with(user("viewer").roles("VIEWER")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}
}
