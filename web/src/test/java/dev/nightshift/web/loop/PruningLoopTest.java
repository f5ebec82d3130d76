package dev.nightshift.web.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15's "done when": an auto loop on the real micro-gpt example with nothing but {@code pruning: {rule: asha}}
 * stops a hopeless run by itself, says why in words, and the morning summary counts it. The search space is two
 * learning rates, so what runs does not depend on a strategy's luck: the default (the baselines, which are never
 * pruned) and 1e-5, which barely learns. On the one CPU slot of the tests the two baselines have finished before
 * the proposal starts, so the rule has its runs to compare with whatever the machine's speed.
 */
@WebIntegrationTest
class PruningLoopTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Test
	void anAutoLoopOnMicroGptPrunesTheHopelessRunWithAReadableReasonAndTheSummaryCountsIt() throws Exception {
		Path example = Path.of("..", "examples", "micro-gpt").toAbsolutePath().normalize();
		long experiment = register("""
				name: micro-gpt-pruned-%s
				source: %s
				command: /usr/bin/env STEPS=150 EVAL_EVERY=15 python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 5m}
				parameters:
				  lr: {type: choice, values: ["0.003", "0.00001"], default: "0.003"}
				resources: {gpus: 0}
				noise: {replicates: 2, min_delta: 0.0}
				pruning: {rule: asha}
				brief: Lower val_loss.
				""".formatted(UUID.randomUUID().toString().substring(0, 8), example));
		call(post("/api/experiments/" + experiment + "/loop").contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"auto\", \"maxRuns\": 6, \"lookahead\": 0}"));

		await().atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofSeconds(1))
			.until(() -> call(get("/api/experiments/" + experiment + "/loop")).get("loop").get("status").asString()
				.equals("FINISHED"));
		await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
			.until(() -> runs(experiment, "").stream()
				.noneMatch(r -> r.get("status").asString().matches("QUEUED|STARTING|RUNNING")));

		List<JsonNode> baselines = runs(experiment, "").stream()
			.filter(r -> r.get("kind").asString().equals("BASELINE"))
			.toList();
		assertThat(baselines).hasSize(2).allSatisfy(r -> assertThat(r.get("status").asString()).isEqualTo("SUCCEEDED"));
		List<JsonNode> pruned = runs(experiment, "?status=PRUNED");
		assertThat(pruned).as("the run at lr 1e-5").hasSize(1);
		JsonNode run = pruned.get(0);
		assertThat(run.get("params").get("lr").asString()).isEqualTo("0.00001");
		assertThat(run.get("verdict").asString()).isEqualTo("DISCARD");
		assertThat(run.get("verdictReason").asString())
			.matches("ASHA rung \\d at step \\d+: val_loss [0-9.]+ is not in the top 1/3 of 3 runs there \\(cutoff [0-9.]+\\)");
		JsonNode points = call(get("/api/runs/" + run.get("id").asLong() + "/metrics?name=val_loss"));
		assertThat(points.size()).as("stopped long before its last evaluation at step 135").isBetween(1, 8);

		JsonNode summary = call(get("/api/experiments/" + experiment + "/summary"));
		assertThat(summary.get("runsByOutcome").get("PRUNED").asInt()).isEqualTo(1);
		String page = mvc.perform(get("/experiments/" + experiment).with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(page).contains("id=\"summary-pruned\"", "1 run pruned", "slot-hours saved");
		String tsv = mvc.perform(get("/api/experiments/" + experiment + "/results.tsv").with(as.viewer()))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(tsv.lines()).anyMatch(line -> line.contains("\tdiscard\t") && line.contains("(pruned: ASHA rung"));
	}

	private long register(String yaml) throws Exception {
		String body = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString();
		return json.readTree(body).get("id").asLong();
	}

	private List<JsonNode> runs(long experiment, String query) throws Exception {
		List<JsonNode> runs = new ArrayList<>();
		call(get("/api/experiments/" + experiment + "/runs" + (query.isEmpty() ? "?size=100" : query + "&size=100")))
			.get("items").forEach(runs::add);
		return runs;
	}

	private JsonNode call(MockHttpServletRequestBuilder request) throws Exception {
		String body = mvc.perform(request.with(as.reviewer())).andReturn().getResponse().getContentAsString();
		return json.readTree(body);
	}
}
