package dev.nightshift.web.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

/**
 * A night of the built-in TPE on a program where only lr matters (n_embd and act do nothing), through the API:
 * whatever the strategy drew, every dead end and refuted question rests on runs that varied its one factor alone
 * (three of them, or fewer where the importance estimate says the factor does nothing, which must never be lr),
 * and every kept run's question ends SUPPORTED.
 */
@WebIntegrationTest
class AttributableEvidenceLoopTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@TempDir
	Path dir;

	@Test
	void deadEndsRestOnlyOnOneFactorRunsAndKeptRunsAnswerTheirQuestions() throws Exception {
		long experiment = register();
		call(post("/api/experiments/" + experiment + "/loop").contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"auto\", \"maxRuns\": 24, \"lookahead\": 1}"));
		await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
			.until(() -> call(get("/api/experiments/" + experiment + "/loop")).get("loop").get("status").asString()
				.equals("FINISHED"));
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
			.until(() -> items("/api/experiments/" + experiment + "/runs?size=500").stream()
				.noneMatch(run -> run.get("status").asString().matches("QUEUED|STARTING|RUNNING")));

		Map<Long, Long> questionOfProposal = new HashMap<>();
		items("/api/experiments/" + experiment + "/proposals?size=500")
			.forEach(p -> questionOfProposal.put(p.get("id").asLong(), p.get("questionId").asLong()));
		List<JsonNode> runs = items("/api/experiments/" + experiment + "/runs?size=500").stream()
			.filter(run -> run.get("kind").asString().equals("PROPOSAL"))
			.toList();
		assertThat(runs).hasSizeGreaterThan(10).allSatisfy(run -> assertThat(run.get("varied").isArray()).isTrue());
		Set<Long> keptQuestions = new HashSet<>();
		runs.stream().filter(run -> "KEEP".equals(run.get("verdict").asString(null)))
			.forEach(run -> keptQuestions.add(questionOfProposal.get(run.get("proposalId").asLong())));
		// Answers follow the verdicts on a thread of their own.
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			Map<Long, JsonNode> questions = questions(experiment);
			assertThat(keptQuestions).allSatisfy(id -> assertThat(questions.get(id).get("status").asString())
				.isEqualTo("SUPPORTED"));
		});

		for (JsonNode question : questions(experiment).values()) {
			String status = question.get("status").asString();
			if (!status.equals("DEAD_END") && !status.equals("REFUTED")) {
				continue;
			}
			assertThat(question.get("kind").asString()).isEqualTo("ONE_FACTOR");
			Set<String> factors = strings(question.get("factors"));
			long attributable = runs.stream()
				.filter(run -> questionOfProposal.get(run.get("proposalId").asLong()) == question.get("id").asLong())
				.filter(run -> strings(run.get("varied")).equals(factors))
				.count();
			if (question.path("conclusion").asString("").contains("importance estimate")) {
				// Fewer runs, backed by the fitted importance: only ever for a factor that truly does nothing.
				assertThat(factors).as("an importance-backed dead end: %s", question.path("conclusion").asString(""))
					.doesNotContain("lr");
				assertThat(attributable).as("one-factor runs behind %s", question.get("text").asString())
					.isGreaterThanOrEqualTo(1);
			}
			else {
				assertThat(attributable).as("one-factor runs behind %s", question.get("text").asString())
					.isGreaterThanOrEqualTo(3);
			}
		}
		assertThat(questions(experiment).values()).anySatisfy(q -> assertThat(q.get("kind").asString()).isEqualTo("EXPLORATION"));
	}

	private long register() throws Exception {
		Path source = Files.createDirectories(dir.resolve("only-lr-matters"));
		Path counter = dir.resolve("only-lr-matters.counter");
		Files.writeString(source.resolve("train.py"), """
				import math, os, sys
				counter = sys.argv[1]
				n = int(open(counter).read()) if os.path.exists(counter) else 0
				open(counter, "w").write(str(n + 1))
				wiggle = ((n * 7919) % 11 - 5) / 5.0
				lr = float(os.environ["LR"])
				print("val_loss: %.6f" % (2 + (math.log10(lr) + 2) ** 2 + 0.002 * wiggle))
				""");
		String yaml = """
				name: only-lr-matters
				source: %s
				command: /usr/bin/python3 train.py %s
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 1m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				  n_embd: {type: int, min: 8, max: 64, default: 16}
				  act: {type: choice, values: [tanh, relu], default: tanh}
				noise: {replicates: 3, min_delta: 0.0}
				brief: Lower val_loss.
				""".formatted(source, counter);
		String body = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString();
		return json.readTree(body).get("id").asLong();
	}

	private Map<Long, JsonNode> questions(long experiment) throws Exception {
		Map<Long, JsonNode> questions = new HashMap<>();
		items("/api/experiments/" + experiment + "/questions?size=500").forEach(q -> questions.put(q.get("id").asLong(), q));
		return questions;
	}

	private static Set<String> strings(JsonNode array) {
		Set<String> values = new HashSet<>();
		array.forEach(value -> values.add(value.asString()));
		return values;
	}

	private List<JsonNode> items(String path) throws Exception {
		List<JsonNode> items = new ArrayList<>();
		call(get(path)).get("items").forEach(items::add);
		return items;
	}

	private JsonNode call(MockHttpServletRequestBuilder request) throws Exception {
		String body = mvc.perform(request.with(as.reviewer())).andReturn().getResponse().getContentAsString();
		return json.readTree(body);
	}
}
