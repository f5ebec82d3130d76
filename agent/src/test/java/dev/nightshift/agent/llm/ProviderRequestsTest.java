package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.ANTHROPIC_PATH;
import static dev.nightshift.agent.llm.LlmWire.OLLAMA_PATH;
import static dev.nightshift.agent.llm.LlmWire.OPENAI_PATH;
import static dev.nightshift.agent.llm.LlmWire.answer;
import static dev.nightshift.agent.llm.LlmWire.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.nightshift.agent.ProposalDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each provider's request carries the same answer schema, built once from the search space, in the place its
 * API wants it (OpenAI's {@code response_format}, Anthropic's {@code output_config}, Ollama's {@code format});
 * what a provider's schema cannot say (Ollama's has no null) still reads as an answer; prompt caching is asked
 * for where LangChain4j offers it and the cached tokens are counted.
 */
class ProviderRequestsTest {

	static final LlmWire wire = new LlmWire();

	@BeforeEach
	void setUp() {
		wire.server.resetAll();
	}

	@AfterAll
	static void stop() {
		wire.close();
	}

	@Test
	void everyProviderIsSentTheSameAnswerSchema() {
		wire.serve(OPENAI_PATH, LlmWire.openAi(answer("proposals.json"), "stop", 10, 10));
		researcher(AgentProperties.Provider.OPENAI, "/v1").propose(LlmWire.context(), 2);
		JsonNode openAi = body(wire.requests().get(0)).get("response_format").get("json_schema").get("schema");
		wire.server.resetAll();
		wire.serve(ANTHROPIC_PATH, LlmWire.anthropic(answer("proposals.json"), "end_turn", 10, 10));
		researcher(AgentProperties.Provider.ANTHROPIC, "/v1").propose(LlmWire.context(), 2);
		JsonNode anthropic = body(wire.requests().get(0)).get("output_config").get("format").get("schema");
		wire.server.resetAll();
		wire.serve(OLLAMA_PATH, LlmWire.ollama(answer("proposals.json"), "stop", 10, 10));
		researcher(AgentProperties.Provider.OLLAMA, "").propose(LlmWire.context(), 2);
		JsonNode ollama = body(wire.requests().get(0)).get("format");

		for (JsonNode schema : List.of(openAi, anthropic, ollama)) {
			JsonNode proposal = schema.get("properties").get("proposals").get("items");
			assertThat(proposal.get("properties").propertyNames()).containsExactlyInAnyOrder("questionId", "question",
					"kind", "params", "patch", "rationale", "expectedEffect");
			assertThat(proposal.get("properties").get("params").get("properties").propertyNames())
				.containsExactlyInAnyOrder("lr", "n_embd", "act");
			assertThat(proposal.get("properties").get("kind").get("enum").toString()).contains("params", "patch", "both");
		}
	}

	@Test
	void anOllamaAnswerWithoutNullsStillReadsAsProposals() {
		// Ollama's format cannot say null: the model leaves questionId out, or writes 0, and gives a question.
		ObjectNode answer = LlmWire.json.createObjectNode();
		var list = answer.putArray("proposals");
		list.addObject().put("question", "Does relu train better?").put("kind", "params")
			.<ObjectNode>set("params", LlmWire.json.createObjectNode().put("act", "relu")).put("patch", "")
			.put("rationale", "relu is cheap").put("expectedEffect", "");
		list.addObject().put("questionId", 0).put("question", "Does a wider model help?").put("kind", "params")
			.<ObjectNode>set("params", LlmWire.json.createObjectNode().put("n_embd", 32)).put("patch", "")
			.put("rationale", "more room").put("expectedEffect", "");
		wire.serve(OLLAMA_PATH, LlmWire.ollama(answer.toString(), "stop", 10, 10));

		List<ProposalDraft> drafts = researcher(AgentProperties.Provider.OLLAMA, "").propose(LlmWire.context(), 2);

		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(drafts.get(0).questionId()).isNull();
		assertThat(drafts.get(0).question()).isEqualTo("Does relu train better?");
		assertThat(drafts.get(0).patch()).isNull();
		// Whether 0 names a question is the validator's to say (ProposalIntakeTest): it names none, so it is new.
		assertThat(drafts.get(1).questionId()).isZero();
		assertThat(drafts.get(1).question()).isEqualTo("Does a wider model help?");
	}

	@Test
	void anthropicCachesTheSystemMessageAndCacheReadsAreCounted() {
		ResponseDefinitionBuilder response = LlmWire.anthropic(answer("proposals.json"), "end_turn", 300, 40);
		ObjectNode body = (ObjectNode) LlmWire.json.readTree(response.build().getBody());
		body.<ObjectNode>set("usage", LlmWire.json.createObjectNode().put("input_tokens", 300).put("output_tokens", 40)
			.put("cache_read_input_tokens", 1800));
		wire.serve(ANTHROPIC_PATH, response.withBody(body.toString()));

		List<ProposalDraft> drafts = researcher(AgentProperties.Provider.ANTHROPIC, "/v1").propose(LlmWire.context(), 2);

		JsonNode system = body(wire.requests().get(0)).get("system");
		List<String> cacheControl = new ArrayList<>();
		system.forEach(block -> cacheControl.add(block.path("cache_control").path("type").asString()));
		assertThat(cacheControl).contains("ephemeral");
		assertThat(drafts.get(0).usage().cachedTokens()).isEqualTo(1800);
	}

	@Test
	void openAiCachedPromptTokensAreCountedAndTheSystemMessageComesFirst() {
		ResponseDefinitionBuilder response = LlmWire.openAi(answer("proposals.json"), "stop", 2000, 40);
		ObjectNode body = (ObjectNode) LlmWire.json.readTree(response.build().getBody());
		body.<ObjectNode>set("usage", LlmWire.json.createObjectNode().put("prompt_tokens", 2000)
			.put("completion_tokens", 40).put("total_tokens", 2040)
			.<ObjectNode>set("prompt_tokens_details", LlmWire.json.createObjectNode().put("cached_tokens", 1536)));
		wire.serve(OPENAI_PATH, response.withBody(body.toString()));

		List<ProposalDraft> drafts = researcher(AgentProperties.Provider.OPENAI, "/v1").propose(LlmWire.context(), 2);

		assertThat(drafts.get(0).usage().cachedTokens()).isEqualTo(1536);
		assertThat(drafts.get(0).usage().inputTokens()).isEqualTo(2000);
		assertThat(body(wire.requests().get(0)).get("messages").get(0).get("role").asString()).isEqualTo("system");
	}

	private LlmResearcher researcher(AgentProperties.Provider provider, String path) {
		return new LlmResearcher(wire.properties(provider, path), new PlainDigest(), LlmWire::environment);
	}
}
