package dev.nightshift.web.mcp;

import static dev.nightshift.web.mcp.McpClients.call;
import static dev.nightshift.web.mcp.McpClients.json;
import static dev.nightshift.web.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A coding agent's side of Nightshift: the SDK's MCP client over HTTP against the running server. */
@WebIntegrationTest
class McpServerTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** train.py's val_loss is 2 + OFFSET whatever the parameters: the patch below lowers it by a whole 1.0. */
	private static final String TRAIN = """
			import os
			OFFSET = 1.0
			print("---\\nval_loss: %f" % (2.0 + OFFSET + 0.0 * float(os.environ["LR"])))
			""";

	private static final String LOWER_OFFSET = """
			--- a/train.py
			+++ b/train.py
			@@ -1,3 +1,3 @@
			 import os
			-OFFSET = 1.0
			+OFFSET = 0.0
			 print("---\\nval_loss: %f" % (2.0 + OFFSET + 0.0 * float(os.environ["LR"])))
			""";

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@LocalServerPort
	int port;

	@TempDir
	Path dir;

	@Test
	void anAgentRunsALoopFromDigestToConclusionWithEveryGateInPlace() throws Exception {
		long experiment = register("agent-loop");
		JsonNode started = api(post("/api/experiments/" + experiment + "/loop").contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"auto\", \"proposer\": \"external\", \"maxRuns\": 10, \"lookahead\": 0}"));
		assertThat(started.get("loop").get("proposer").asString()).isEqualTo("external");
		// The loop runs the baseline itself, then asks no one: it waits for the agent.
		JsonNode waiting = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
			.until(() -> api(get("/api/experiments/" + experiment + "/loop")),
					loop -> loop.get("waitingFor").asString("").contains("external agent"));
		assertThat(waiting.get("progress").get("finished").asInt()).isEqualTo(2);

		try (McpSyncClient agent = reviewer()) {
			assertThat(agent.listTools().tools()).extracting(McpSchema.Tool::name)
				.containsExactlyInAnyOrder("list_experiments", "research_digest", "propose", "proposal_status",
						"wait_for_results", "run_log", "conclude_question", "loop_status");
			String prompt = ((McpSchema.TextContent) agent.getPrompt(new McpSchema.GetPromptRequest(
					ResearcherPrompt.NAME, Map.of("experimentId", experiment))).messages().get(0).content()).text();
			assertThat(prompt).contains("research_digest", "wait_for_results", "conclude_question", "dead end");
			assertThat(json(call(agent, "list_experiments", Map.of())).get("experiments").valueStream()
				.map(e -> e.get("id").asLong())).contains(experiment);
			assertThat(json(call(agent, "loop_status", Map.of("experimentId", experiment))).get("waitingFor").asString())
				.contains("your next proposal");

			String digest = text(call(agent, "research_digest", Map.of("experimentId", experiment)));
			assertThat(digest).contains("val_loss", "Lower val_loss by editing train.py.");
			String editable = resource(agent, experiment, "editable");
			assertThat(editable).contains("=== train.py ===", "OFFSET = 1.0");

			JsonNode proposed = json(call(agent, "propose", Map.of("experimentId", experiment,
					"question", "Does dropping the offset lower val_loss?", "patch", LOWER_OFFSET,
					"rationale", "the offset adds a constant 1.0", "expectedEffect", "val_loss 3.0 -> 2.0")));
			long proposal = proposed.get("proposalId").asLong();

			JsonNode result = json(call(agent, "wait_for_results", Map.of("proposalId", proposal, "timeoutSeconds", 180)));
			assertThat(result.get("settled").asBoolean()).isTrue();
			assertThat(result.get("status").asString()).isEqualTo("DONE");
			assertThat(result.get("decidedBy").asString()).as("approved by the loop's policy").isEqualTo("policy:auto");
			assertThat(result.get("proposer").asString()).isEqualTo("mcp:test-reviewer");
			JsonNode run = result.get("runs").get(0);
			assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
			assertThat(run.get("objective").asDouble()).isEqualTo(2.0);
			assertThat(run.get("verdict").asString()).isEqualTo("KEEP");
			assertThat(run.get("verdictReason").asString()).isNotBlank();
			assertThat(run.get("logTail").asString()).contains("val_loss: 2.000000");
			assertThat(text(call(agent, "run_log", Map.of("runId", run.get("id").asLong(), "lines", 1))))
				.isEqualTo("val_loss: 2.000000");

			// The kept run answers its question on the server's own evidence rule; the agent cannot answer it again.
			long question = proposed.get("questionId").asLong();
			await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
				.until(() -> api(get("/api/experiments/" + experiment + "/questions?status=SUPPORTED")).get("items")
					.valueStream().anyMatch(q -> q.get("id").asLong() == question));
			CallToolResult again = call(agent, "conclude_question", Map.of("questionId", question,
					"status", "DEAD_END", "conclusion", "twice"));
			assertThat(again.isError()).isTrue();
			assertThat(json(again).get("title").asString()).isEqualTo("Conflict");

			// A question the evidence has not answered is the agent's to conclude: its proposal waits unapproved
			// once the loop is stopped.
			mvc.perform(delete("/api/experiments/" + experiment + "/loop").with(as.reviewer()))
				.andExpect(status().is2xxSuccessful());
			JsonNode open = json(call(agent, "propose", Map.of("experimentId", experiment,
					"question", "Does lr matter at all?", "params", Map.of("lr", 0.01),
					"rationale", "to be concluded by the agent", "expectedEffect", "none")));
			long openQuestion = open.get("questionId").asLong();
			JsonNode concluded = json(call(agent, "conclude_question", Map.of("questionId", openQuestion,
					"status", "DEAD_END", "conclusion", "Reading the code shows lr is multiplied by zero.")));
			assertThat(concluded.get("status").asString()).isEqualTo("DEAD_END");
			JsonNode deadEnds = api(get("/api/experiments/" + experiment + "/questions?status=DEAD_END"));
			assertThat(deadEnds.get("items").get(0).get("createdBy").asString()).isEqualTo("mcp:test-reviewer");

			assertThat(resource(agent, experiment, "editable")).as("the best commit moved").contains("OFFSET = 0.0");
			assertThat(resource(agent, experiment, "results.tsv").lines())
				.anyMatch(line -> line.matches("[0-9a-f]{7}\t2\\.000000\t.*\tkeep\tDoes dropping the offset lower val_loss\\?"));
			assertThat(resource(agent, experiment, "spec")).contains("\"editable\"");
		}
	}

	@Test
	void aViewerReadsButMayNeitherProposeNorConclude() throws Exception {
		long experiment = register("viewer");
		as.viewer();
		try (McpSyncClient viewer = McpClients.connect(port, "test-viewer", TestAccounts.PASSWORD)) {
			assertThat(text(call(viewer, "research_digest", Map.of("experimentId", experiment)))).contains("val_loss");
			CallToolResult refused = call(viewer, "propose", Map.of("experimentId", experiment,
					"question", "q", "params", Map.of("lr", 0.01), "rationale", "r"));
			assertThat(refused.isError()).isTrue();
			assertThat(json(refused).get("title").asString()).isEqualTo("Forbidden");
			assertThat(json(refused).get("detail").asString()).contains("REVIEWER");
			CallToolResult conclude = call(viewer, "conclude_question", Map.of("questionId", 1, "status", "REFUTED",
					"conclusion", "c"));
			assertThat(json(conclude).get("title").asString()).isEqualTo("Forbidden");
		}
		assertThat(api(get("/api/experiments/" + experiment + "/proposals")).get("totalItems").asInt()).isZero();
	}

	@Test
	void aProposalThatBreaksTheRulesGetsTheSameErrorsAsOverTheApi() throws Exception {
		long experiment = register("rules");
		Map<String, Object> broken = new LinkedHashMap<>();
		broken.put("question", "Does a huge rate help?");
		broken.put("params", Map.of("lr", 5.0, "unknown", 1));
		broken.put("patch", "--- a/prepare.py\n+++ b/prepare.py\n@@ -0,0 +1 @@\n+x = 1\n");
		broken.put("rationale", "why not");
		String body = mvc.perform(post("/api/experiments/" + experiment + "/proposals").with(as.reviewer())
			.contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(broken)))
			.andExpect(status().isBadRequest())
			.andReturn().getResponse().getContentAsString();
		JsonNode overApi = JSON.readTree(body).get("errors");

		Map<String, Object> arguments = new LinkedHashMap<>(broken);
		arguments.put("experimentId", experiment);
		try (McpSyncClient agent = reviewer()) {
			CallToolResult result = call(agent, "propose", arguments);
			assertThat(result.isError()).isTrue();
			JsonNode overMcp = json(result).get("errors");
			assertThat(overMcp).isEqualTo(overApi);
			assertThat(overMcp.valueStream().map(e -> e.get("field").asString())).contains("params.lr");
			CallToolResult missing = call(agent, "propose", Map.of("experimentId", "seven", "rationale", "r"));
			assertThat(missing.isError()).isTrue();
			assertThat(text(missing)).contains("experimentId");
		}
	}

	@Test
	void noAccountNoConnection() {
		assertThatThrownBy(() -> McpClients.connect(port, "nobody", "wrong").close()).isInstanceOf(RuntimeException.class);
	}

	private McpSyncClient reviewer() {
		as.reviewer();
		return McpClients.connect(port, "test-reviewer", TestAccounts.PASSWORD);
	}

	private static String resource(McpSyncClient client, long experiment, String name) {
		McpSchema.ReadResourceResult read = client.readResource(
				new McpSchema.ReadResourceRequest("nightshift://experiments/" + experiment + "/" + name));
		return ((McpSchema.TextResourceContents) read.contents().get(0)).text();
	}

	private long register(String name) throws Exception {
		Path source = Files.createDirectories(dir.resolve(name));
		Files.writeString(source.resolve("train.py"), TRAIN);
		Files.writeString(source.resolve("prepare.py"), "# data preparation: read-only\n");
		String yaml = """
				name: mcp-%s-%d
				source: %s
				command: /usr/bin/python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 1m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				noise: {replicates: 2, min_delta: 0.0}
				brief: Lower val_loss by editing train.py.
				""".formatted(name, System.nanoTime(), source);
		String body = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString();
		return JSON.readTree(body).get("id").asLong();
	}

	private JsonNode api(MockHttpServletRequestBuilder request) throws Exception {
		return JSON.readTree(mvc.perform(request.with(as.reviewer())).andReturn().getResponse().getContentAsString());
	}
}
