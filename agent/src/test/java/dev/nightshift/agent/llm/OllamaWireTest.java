package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.OLLAMA_PATH;
import static dev.nightshift.agent.llm.LlmWire.answer;
import static dev.nightshift.agent.llm.LlmWire.body;
import static dev.nightshift.agent.llm.LlmWire.ollama;
import static dev.nightshift.agent.llm.LlmWire.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.agent.ProposalDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The researcher against a local server speaking Ollama's chat API: no key, the schema in {@code format}. */
class OllamaWireTest {

	static final LlmWire wire = new LlmWire();

	LlmResearcher researcher;

	@BeforeEach
	void setUp() {
		wire.server.resetAll();
		researcher = new LlmResearcher(wire.properties(AgentProperties.Provider.OLLAMA, ""), new PlainDigest(),
				LlmWire::environment);
	}

	@AfterAll
	static void stop() {
		wire.close();
	}

	@Test
	void validAnswerWithTheSchemaAsFormatAndNoKey() {
		wire.serve(OLLAMA_PATH, ollama("<think>lr first</think>\n```json\n" + answer("proposals.json") + "\n```", "stop",
				700, 200));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(drafts.get(0).usage().inputTokens()).isEqualTo(700);
		LoggedRequest request = wire.requests().get(0);
		JsonNode body = body(request);
		assertThat(body.get("format").get("type").asString()).isEqualTo("object");
		assertThat(body.get("format").get("properties").get("proposals").get("items").get("properties").get("params")
			.get("properties").propertyNames()).containsExactly("lr", "n_embd", "act");
		assertThat(body.get("stream").asBoolean()).isFalse();
		assertThat(body.get("messages").get(1).get("content").asString()).contains("Propose 2 new experiments");
		assertThat(request.containsHeader("Authorization")).isFalse();
	}

	@Test
	void truncatedAnswerIsRepairedOnce() {
		wire.serve(OLLAMA_PATH, ollama(answer("proposals.json").substring(0, 150), "length", 10, 4096),
				ollama(answer("proposals.json"), "stop", 10, 300));

		assertThat(researcher.propose(LlmWire.context(), 2)).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(body(wire.requests().get(1)).get("messages").get(3).get("content").asString()).contains("cut off");
	}

	@Test
	void serverErrorIsRetried() {
		wire.serve(OLLAMA_PATH, status(500), ollama(answer("proposals.json"), "stop", 10, 300));

		assertThat(researcher.propose(LlmWire.context(), 2)).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(wire.requests()).hasSize(2);
	}
}
