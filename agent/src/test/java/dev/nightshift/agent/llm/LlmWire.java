package dev.nightshift.agent.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.Decision;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local HTTP server speaking the providers' wire formats (OpenAI chat completions, Anthropic messages, Ollama
 * chat), the answers it serves in their envelopes, and the experiment the researcher is asked about.
 */
final class LlmWire implements AutoCloseable {

	static final String KEY = "sk-test-7d1f0c9e-THIS-IS-THE-SECRET";

	static final String OPENAI_PATH = "/v1/chat/completions";

	static final String ANTHROPIC_PATH = "/v1/messages";

	static final String OLLAMA_PATH = "/api/chat";

	static final JsonMapper json = JsonMapper.builder().build();

	static final ExperimentSpec SPEC = new ExperimentSpecParser().parseYaml("""
			name: micro-gpt
			command: python3 train.py
			editable: [train.py]
			objective: {metric: val_loss, goal: minimize}
			budget: {run: 2m}
			parameters:
			  lr:     {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
			  n_embd: {type: int, min: 8, max: 64, default: 16}
			  act:    {type: choice, values: [tanh, relu], default: tanh}
			brief: Lower val_loss on the tiny Shakespeare set. Prefer simple changes.
			""");

	static final RunSummary BEST = new RunSummary(3, 2L, 7L, "PROPOSAL", "SUCCEEDED", Map.of("lr", 0.003, "n_embd", 16L),
			1.40, -0.05, "KEEP", null, null, Instant.parse("2025-01-01T01:00:00Z"));

	final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	LlmWire() {
		server.start();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + server.port();
	}

	/** What the researcher knows: a best run, a dead end, an open question, a veto. */
	static ResearchContext context() {
		List<QuestionSummary> deadEnds = List.of(new QuestionSummary(5, null, "Does dropout help a model this small?",
				"DEAD_END", "Three runs with dropout 0.1 to 0.3 were all worse.", 3));
		List<QuestionSummary> open = List.of(new QuestionSummary(7, null, "Does a wider model with relu train better?",
				"OPEN", null, 1));
		List<Decision> vetoes = List.of(new Decision(9, "VETOED", Map.of("lr", 0.03), null, "Does the maximum lr work?",
				"too aggressive: it diverged before"));
		return new ResearchContext(1, SPEC, BEST, null, List.of(BEST), List.of(BEST), deadEnds, open, vetoes, List.of(),
				List.of(), 10, 42);
	}

	/** Settings for a researcher talking to this server, with tiny back-offs and a short time-out. */
	AgentProperties properties(AgentProperties.Provider provider, String path) {
		return new AgentProperties(provider, "test-model", baseUrl() + path, null, null, Duration.ofSeconds(3), 2,
				Duration.ofMillis(1), Duration.ofMillis(5), null, null, null, null, 2.0, 8.0);
	}

	/** The environment the researcher reads its key from: only the provider's variable is set. */
	static String environment(String name) {
		return "OPENAI_API_KEY".equals(name) || "ANTHROPIC_API_KEY".equals(name) ? KEY : null;
	}

	/** Serves the responses one after the other at {@code path}; later requests get a 404. */
	void serve(String path, ResponseDefinitionBuilder... responses) {
		for (int i = 0; i < responses.length; i++) {
			server.stubFor(post(urlEqualTo(path)).inScenario("answers")
				.whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i)
				.willReturn(responses[i])
				.willSetStateTo("answer-" + (i + 1)));
		}
	}

	/** Every request received, oldest first. */
	List<LoggedRequest> requests() {
		return server.findAll(postRequestedFor(anyUrl())).stream()
			.sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
			.toList();
	}

	static JsonNode body(LoggedRequest request) {
		return json.readTree(request.getBodyAsString());
	}

	static ResponseDefinitionBuilder openAi(String content, String finishReason, int tokensIn, int tokensOut) {
		ObjectNode body = json.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
			.put("created", 1735689600).put("model", "test-model");
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", finishReason);
		choice.putObject("message").put("role", "assistant").put("content", content);
		body.putObject("usage").put("prompt_tokens", tokensIn).put("completion_tokens", tokensOut)
			.put("total_tokens", tokensIn + tokensOut);
		return ok(body);
	}

	static ResponseDefinitionBuilder anthropic(String content, String stopReason, int tokensIn, int tokensOut) {
		ObjectNode body = json.createObjectNode().put("id", "msg_1").put("type", "message").put("role", "assistant")
			.put("model", "test-model").put("stop_reason", stopReason);
		body.putArray("content").addObject().put("type", "text").put("text", content);
		body.putObject("usage").put("input_tokens", tokensIn).put("output_tokens", tokensOut);
		return ok(body);
	}

	static ResponseDefinitionBuilder ollama(String content, String doneReason, int tokensIn, int tokensOut) {
		ObjectNode body = json.createObjectNode().put("model", "test-model").put("created_at", "2025-01-01T00:00:00Z")
			.put("done", true).put("done_reason", doneReason).put("prompt_eval_count", tokensIn)
			.put("eval_count", tokensOut);
		body.putObject("message").put("role", "assistant").put("content", content);
		return ok(body);
	}

	static ResponseDefinitionBuilder status(int status) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
			.withBody("{\"error\": {\"message\": \"status " + status + "\", \"type\": \"test\"}}");
	}

	private static ResponseDefinitionBuilder ok(ObjectNode body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
	}

	/** A file of {@code src/test/resources/llm}. */
	static String answer(String name) {
		try (InputStream in = LlmWire.class.getResourceAsStream("/llm/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		server.stop();
	}
}
