package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.ANTHROPIC_PATH;
import static dev.nightshift.agent.llm.LlmWire.KEY;
import static dev.nightshift.agent.llm.LlmWire.anthropic;
import static dev.nightshift.agent.llm.LlmWire.answer;
import static dev.nightshift.agent.llm.LlmWire.body;
import static dev.nightshift.agent.llm.LlmWire.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.agent.ProposalDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The researcher against a local server speaking Anthropic's messages API. */
class AnthropicWireTest {

	static final LlmWire wire = new LlmWire();

	LlmResearcher researcher;

	@BeforeEach
	void setUp() {
		wire.server.resetAll();
		researcher = new LlmResearcher(wire.properties(AgentProperties.Provider.ANTHROPIC, "/v1"), new PlainDigest(),
				LlmWire::environment);
	}

	@AfterAll
	static void stop() {
		wire.close();
	}

	@Test
	void validAnswerWithTheSchemaAndTheKeyOnlyInTheApiKeyHeader() {
		wire.serve(ANTHROPIC_PATH, anthropic(answer("proposals.json"), "end_turn", 900, 250));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(drafts.get(0).usage().inputTokens()).isEqualTo(900);
		assertThat(drafts.get(0).usage().outputTokens()).isEqualTo(250);
		LoggedRequest request = wire.requests().get(0);
		JsonNode body = body(request);
		assertThat(body.get("output_config").get("format").get("type").asString()).isEqualTo("json_schema");
		assertThat(body.get("output_config").get("format").get("schema").get("properties").has("proposals")).isTrue();
		assertThat(body.get("system").toString()).contains("search space");
		assertThat(body.get("messages").get(0).toString()).contains("Does dropout help a model this small?");
		assertThat(body.get("max_tokens").asInt()).isEqualTo(4096);
		assertThat(request.getHeader("x-api-key")).isEqualTo(KEY);
		assertThat(request.containsHeader("Authorization")).isFalse();
		assertThat(request.getBodyAsString()).doesNotContain(KEY);
		OpenAiWireTest.assertKeyOnlyIn(request, "x-api-key");
	}

	@Test
	void keyComesFromTheSecretFileWhenOneIsConfigured(@TempDir Path dir) throws Exception {
		Path secret = dir.resolve("anthropic.key");
		Files.writeString(secret, "sk-from-file-0042\n");
		AgentProperties properties = new AgentProperties(AgentProperties.Provider.ANTHROPIC, "test-model",
				wire.baseUrl() + "/v1", null, secret, Duration.ofSeconds(3), 0, Duration.ofMillis(1), Duration.ofMillis(1),
				null, null, null, null, null, null);
		wire.serve(ANTHROPIC_PATH, anthropic(answer("proposals.json"), "end_turn", 1, 1));

		new LlmResearcher(properties, new PlainDigest()).propose(LlmWire.context(), 1);

		assertThat(wire.requests().get(0).getHeader("x-api-key")).isEqualTo("sk-from-file-0042");
		assertThat(properties.toString()).contains("secret, from file").doesNotContain("sk-from-file-0042");
	}

	@Test
	void overloadedServerIsRetried() {
		wire.serve(ANTHROPIC_PATH, status(429), status(529), anthropic(answer("proposals.json"), "end_turn", 1, 1));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(wire.requests()).hasSize(3);
	}

	@Test
	void malformedAnswerTwiceIsAnAgentError() {
		wire.serve(ANTHROPIC_PATH, anthropic("{\"proposals\": [1, 2]}", "end_turn", 10, 5),
				anthropic("{\"proposals\": [{\"params\": \"lr=0.01\"}]}", "end_turn", 10, 5));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).singleElement().satisfies(draft -> {
			assertThat(draft.error()).startsWith("unusable answer after one repair: proposals[0] has the wrong shape");
			assertThat(draft.rawAnswer()).contains("[1, 2]", "lr=0.01");
			assertThat(draft.usage().inputTokens()).isEqualTo(20);
		});
		JsonNode repair = body(wire.requests().get(1)).get("messages");
		assertThat(repair.get(1).get("role").asString()).isEqualTo("assistant");
		assertThat(repair.get(2).toString()).contains("proposals[0] is not an object");
	}

	@Test
	void truncatedAnswerAtMaxTokensIsRepaired() {
		wire.serve(ANTHROPIC_PATH, anthropic(answer("proposals.json").substring(0, 200), "max_tokens", 10, 4096),
				anthropic(answer("proposals.json"), "end_turn", 10, 300));

		assertThat(researcher.propose(LlmWire.context(), 2)).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(body(wire.requests().get(1)).get("messages").get(2).toString()).contains("cut off");
	}
}
