package dev.nightshift.web.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Overnight loops through the API, with the built-in strategy and real (if tiny) training processes. */
@WebIntegrationTest
class ResearchLoopTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@TempDir
	Path dir;

	@Test
	void autoLoopRunsTheBaselineThenProposalsEndsByItselfImprovesAndExportsResults() throws Exception {
		long experiment = register(SyntheticPrograms.experiment(dir, "2 + (math.log10(lr) + 2) ** 2", 0.001));
		JsonNode started = call(post("/api/experiments/" + experiment + "/loop").contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"auto\", \"maxRuns\": 12, \"lookahead\": 1}"));
		assertThat(started.get("loop").get("status").asString()).isEqualTo("RUNNING");

		awaitLoop(experiment, "FINISHED");
		// A finished loop starts nothing new, but runs it started (a replicate, say) may still be on their way.
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
			.until(() -> runs(experiment).stream().noneMatch(ResearchLoopTest::active));
		List<JsonNode> runs = runs(experiment);
		List<JsonNode> finished = runs.stream().filter(r -> !active(r)).toList();
		assertThat(finished.size()).isGreaterThanOrEqualTo(12);
		JsonNode first = runs.get(runs.size() - 1);
		assertThat(first.get("kind").asString()).isEqualTo("BASELINE");
		assertThat(runs.stream().filter(r -> r.get("kind").asString().equals("BASELINE"))).hasSize(2);
		assertThat(runs.stream().filter(r -> r.get("kind").asString().equals("PROPOSAL"))).isNotEmpty();

		JsonNode summary = call(get("/api/experiments/" + experiment + "/summary"));
		assertThat(summary.get("verdict").asString()).isNotBlank();
		assertThat(summary.get("best").asDouble()).isLessThan(summary.get("baseline").asDouble());
		assertThat(summary.get("improvements").size()).isPositive();
		assertThat(summary.get("slotUtilisation").asDouble()).isBetween(0.0, 1.0);

		String tsv = mvc.perform(get("/api/experiments/" + experiment + "/results.tsv").with(as.viewer()))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		List<String> lines = tsv.lines().toList();
		assertThat(lines.get(0)).isEqualTo("commit\tval_loss\tmemory_gb\tstatus\tdescription");
		assertThat(lines).hasSize(finished.size() + 1);
		assertThat(lines.get(1)).endsWith("\tbaseline");
		assertThat(lines).anyMatch(line -> line.split("\t")[3].equals("keep"));
		assertThat(lines.subList(1, lines.size())).allMatch(line -> line.split("\t").length == 5);

		// Questions are answered after their verdicts, on a thread of their own: once settled, the summary and the
		// dead-end log (DEAD_END and REFUTED, which the evidence rule now also reaches) agree.
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
				call(get("/api/experiments/" + experiment + "/summary")).get("deadEnds").size())
			.isEqualTo(call(get("/api/experiments/" + experiment + "/questions?status=DEAD_END,REFUTED")).get("totalItems").asInt()));
	}

	@Test
	void pureNoiseIsNeverKept() throws Exception {
		long experiment = register(SyntheticPrograms.experiment(dir, "2.0 + 0 * lr", 0.01));
		call(post("/api/experiments/" + experiment + "/loop").contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"auto\", \"maxRuns\": 10, \"lookahead\": 1}"));
		awaitLoop(experiment, "FINISHED");
		await().atMost(Duration.ofMinutes(3)).until(() -> runs(experiment).stream()
			.noneMatch(r -> r.get("status").asString().matches("QUEUED|STARTING|RUNNING")));

		List<JsonNode> kept = runs(experiment).stream()
			.filter(r -> "KEEP".equals(r.get("verdict").asString(null)))
			.toList();
		// Only the first successful baseline becomes the best; no seed change wins.
		assertThat(kept).hasSize(1);
		assertThat(kept.get(0).get("kind").asString()).isEqualTo("BASELINE");
	}

	@Test
	void withAManualPolicyNothingRunsUntilAPersonApproves() throws Exception {
		long experiment = register(SyntheticPrograms.experiment(dir, "2 + (math.log10(lr) + 2) ** 2", 0.001));
		call(post("/api/experiments/" + experiment + "/loop").contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"manual\", \"maxRuns\": 4, \"lookahead\": 1}"));

		JsonNode waiting = await().atMost(Duration.ofMinutes(3))
			.until(() -> call(get("/api/experiments/" + experiment + "/loop")), loop -> !loop.get("waitingFor").isNull());
		assertThat(waiting.get("waitingFor").asString()).contains("wait for a person");
		assertThat(runs(experiment)).isEmpty();

		JsonNode proposals = call(get("/api/experiments/" + experiment + "/proposals?status=PROPOSED"));
		assertThat(proposals.get("totalItems").asInt()).isPositive();
		long baseline = -1;
		for (JsonNode proposal : proposals.get("items")) {
			if (proposal.get("params").isEmpty()) {
				baseline = proposal.get("id").asLong();
			}
		}
		assertThat(baseline).as("the baseline waits for approval too").isPositive();
		assertThat(runs(experiment)).isEmpty();

		call(post("/api/proposals/" + baseline + "/approve"));
		await().atMost(Duration.ofMinutes(3)).until(() -> runs(experiment).size() == 2);
		assertThat(runs(experiment)).allMatch(r -> r.get("kind").asString().equals("BASELINE"));

		JsonNode stopped = call(delete("/api/experiments/" + experiment + "/loop?cancelRuns=true"));
		assertThat(stopped.get("loop").get("status").asString()).isEqualTo("STOPPED");
	}

	@Test
	void aLoopWhoseProposerHasNothingNewLeftFinishesAndSaysWhy() throws Exception {
		// Two values in all: once the baseline and the other value have run, no strategy has anything new.
		Path source = Files.createDirectories(dir.resolve("two-values"));
		Files.writeString(source.resolve("train.py"), "import os\nprint('val_loss: %f' % (1.0 if os.environ['K'] == 'a' else 2.0))\n");
		long experiment = register("""
				name: two-values
				source: %s
				command: /usr/bin/python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 1m}
				parameters:
				  k: {type: choice, values: [a, b], default: b}
				noise: {replicates: 1, min_delta: 0.0}
				brief: Lower val_loss.
				""".formatted(source));
		call(post("/api/experiments/" + experiment + "/loop").contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"auto\", \"maxRuns\": 50, \"lookahead\": 2}"));

		awaitLoop(experiment, "FINISHED");
		JsonNode loop = call(get("/api/experiments/" + experiment + "/loop")).get("loop");
		assertThat(loop.get("stopReason").asString()).contains("nothing new to propose");
		assertThat(runs(experiment)).extracting(run -> run.get("params").path("k").asString("b"))
			.contains("a", "b")
			.containsOnly("a", "b");
	}

	private long register(String yaml) throws Exception {
		String body = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString();
		return json.readTree(body).get("id").asLong();
	}

	private void awaitLoop(long experiment, String state) {
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
			.until(() -> call(get("/api/experiments/" + experiment + "/loop")).get("loop").get("status").asString()
				.equals(state));
	}

	private static boolean active(JsonNode run) {
		return run.get("status").asString().matches("QUEUED|STARTING|RUNNING");
	}

	private List<JsonNode> runs(long experiment) throws Exception {
		List<JsonNode> runs = new ArrayList<>();
		call(get("/api/experiments/" + experiment + "/runs?size=500")).get("items").forEach(runs::add);
		return runs;
	}

	private JsonNode call(MockHttpServletRequestBuilder request) throws Exception {
		String body = mvc.perform(request.with(as.reviewer()))
			.andReturn().getResponse().getContentAsString();
		return json.readTree(body);
	}
}
