package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.OPENAI_PATH;
import static dev.nightshift.agent.llm.LlmWire.answer;
import static dev.nightshift.agent.llm.LlmWire.body;
import static dev.nightshift.agent.llm.LlmWire.openAi;
import static dev.nightshift.agent.llm.LlmWire.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import dev.nightshift.agent.Reflection;
import dev.nightshift.agent.RunSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** After a run the researcher judges the run's question; a fault means no reflection, never an exception. */
class ReflectionWireTest {

	static final LlmWire wire = new LlmWire();

	static final RunSummary WIDER = new RunSummary(11, 10L, 7L, "PROPOSAL", "SUCCEEDED",
			Map.of("n_embd", 32, "act", "relu"), 1.42, 0.02, "DISCARD", null, null, Instant.parse("2025-01-01T02:00:00Z"));

	LlmResearcher researcher;

	@BeforeEach
	void setUp() {
		wire.server.resetAll();
		researcher = new LlmResearcher(wire.properties(AgentProperties.Provider.OPENAI, "/v1"), new PlainDigest(),
				LlmWire::environment);
	}

	@AfterAll
	static void stop() {
		wire.close();
	}

	@Test
	void reflectionClosesTheRunsQuestionWithAConclusion() {
		wire.serve(OPENAI_PATH, openAi(answer("reflection.json"), "stop", 800, 60));

		Reflection reflection = researcher.reflect(LlmWire.context(), WIDER).orElseThrow();

		assertThat(reflection.questionId()).isEqualTo(7);
		assertThat(reflection.status()).isEqualTo("REFUTED");
		assertThat(reflection.conclusion()).startsWith("A wider model did not lower val_loss");
		assertThat(reflection.usage().inputTokens()).isEqualTo(800);
		JsonNode body = body(wire.requests().get(0));
		JsonNode schema = body.get("response_format").get("json_schema");
		assertThat(schema.get("name").asString()).isEqualTo("reflection");
		assertThat(schema.get("schema").get("properties").get("status").get("enum").toString()).contains("DEAD_END");
		assertThat(body.get("messages").get(1).get("content").asString())
			.contains("Run #11: SUCCEEDED", "val_loss = 1.42", "question #7", "Does a wider model with relu train better?");
	}

	@Test
	void theModelCannotMoveTheVerdictToAnotherQuestion() {
		wire.serve(OPENAI_PATH, openAi(answer("reflection.json").replace("\"questionId\": 7", "\"questionId\": 5"), "stop",
				1, 1));

		assertThat(researcher.reflect(LlmWire.context(), WIDER)).hasValueSatisfying(r -> assertThat(r.questionId()).isEqualTo(7));
	}

	@Test
	void unknownStatusIsRepairedOnce() {
		wire.serve(OPENAI_PATH, openAi("{\"questionId\": 7, \"status\": \"MAYBE\", \"conclusion\": \"unclear\"}", "stop", 1, 1),
				openAi("{\"questionId\": 7, \"status\": \"open\", \"conclusion\": null}", "stop", 1, 1));

		Reflection reflection = researcher.reflect(LlmWire.context(), WIDER).orElseThrow();

		assertThat(reflection.status()).isEqualTo("OPEN");
		assertThat(reflection.conclusion()).isNull();
		assertThat(body(wire.requests().get(1)).get("messages").get(3).get("content").asString()).contains("MAYBE");
	}

	@Test
	void missingStatusIsRepairedOnceNamingTheField() {
		wire.serve(OPENAI_PATH, openAi("{\"questionId\": 7, \"conclusion\": \"unclear\"}", "stop", 1, 1),
				openAi("{\"questionId\": 7, \"status\": \"OPEN\", \"conclusion\": null}", "stop", 1, 1));

		Reflection reflection = researcher.reflect(LlmWire.context(), WIDER).orElseThrow();

		assertThat(reflection.status()).isEqualTo("OPEN");
		assertThat(body(wire.requests().get(1)).get("messages").get(3).get("content").asString())
			.contains("status is missing");
	}

	@Test
	void statusMissingAgainAfterTheRepairIsNoReflection() {
		wire.serve(OPENAI_PATH, openAi("{\"questionId\": 7, \"conclusion\": \"unclear\"}", "stop", 1, 1),
				openAi("{\"questionId\": 7, \"status\": null, \"conclusion\": \"still unclear\"}", "stop", 1, 1));

		assertThat(researcher.reflect(LlmWire.context(), WIDER)).isEmpty();
		assertThat(wire.requests()).hasSize(2);
	}

	@Test
	void faultsGiveNoReflection() {
		wire.serve(OPENAI_PATH, status(500), status(500), status(500));

		assertThat(researcher.reflect(LlmWire.context(), WIDER)).isEmpty();
	}

	@Test
	void aRunWithoutQuestionIsNotSentToTheModel() {
		RunSummary baseline = new RunSummary(1, null, null, "BASELINE", "SUCCEEDED", Map.of(), 1.5, null, null, null, null,
				Instant.parse("2025-01-01T00:10:00Z"));

		assertThat(researcher.reflect(LlmWire.context(), baseline)).isEmpty();
		assertThat(wire.requests()).isEmpty();
	}
}
