package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.OPENAI_PATH;
import static dev.nightshift.agent.llm.LlmWire.body;
import static dev.nightshift.agent.llm.LlmWire.openAi;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.nightshift.agent.Crash;
import dev.nightshift.agent.ProposalDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The debug step at the wire: the researcher is shown a crashed patch and the end of its log, and its corrected
 * patch becomes a draft for the same question, or nothing when it finds nothing to fix.
 */
class DebugWireTest {

	static final LlmWire wire = new LlmWire();

	static final String TYPO = """
			--- a/train.py
			+++ b/train.py
			@@ -1,2 +1,2 @@
			-act = "tanh"
			+act = "relu"; prnt(act)
			 print("val_loss: 1.0")
			""";

	static final Crash CRASH = new Crash(21, 34, 7, "Does relu train better?", Map.of("n_embd", 32), TYPO, """
			Traceback (most recent call last):
			  File "train.py", line 1, in <module>
			NameError: name 'prnt' is not defined""", 0);

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
	void theModelSeesTheLogTailAndThePatchAndItsFixStudiesTheSameQuestionWithTheSameValues() {
		wire.serve(OPENAI_PATH, openAi("""
				{"diagnosis": "prnt is a typo of print", "patch": "--- a/train.py\\n+++ b/train.py\\n",
				 "params": {"lr": 0.01, "act": null}, "rationale": "the same idea, spelled right",
				 "expectedEffect": "val_loss 0.1 lower"}""", "stop", 900, 80));

		ProposalDraft fix = researcher.debug(LlmWire.context(), CRASH).orElseThrow();

		assertThat(fix.failed()).isFalse();
		assertThat(fix.questionId()).isEqualTo(7);
		assertThat(fix.params()).containsExactlyInAnyOrderEntriesOf(Map.of("n_embd", 32, "lr", 0.01));
		assertThat(fix.patch()).isEqualTo("--- a/train.py\n+++ b/train.py\n");
		assertThat(fix.rationale()).contains("Fix of proposal #21", "run #34", "prnt is a typo of print",
				"spelled right");
		assertThat(fix.usage().inputTokens()).isEqualTo(900);
		JsonNode body = body(wire.requests().get(0));
		assertThat(body.get("response_format").get("json_schema").get("name").asString()).isEqualTo("fix");
		assertThat(body.get("messages").get(1).get("content").asString()).contains("The crash to debug",
				"NameError: name 'prnt' is not defined", "+act = \"relu\"; prnt(act)", "question #7");
	}

	@Test
	void noPatchMeansNothingToFix() {
		wire.serve(OPENAI_PATH, openAi("{\"diagnosis\": \"relu cannot work here\", \"patch\": null, \"rationale\": \"-\"}",
				"stop", 1, 1));

		assertThat(researcher.debug(LlmWire.context(), CRASH)).isEmpty();
	}

	@Test
	void aFixOfAFixSaysSoAndAnUnusableAnswerIsAFailedDraft() {
		wire.serve(OPENAI_PATH, openAi("no idea", "stop", 1, 1), openAi("{\"patch\": \"x\"}", "stop", 1, 1));

		ProposalDraft fix = researcher.debug(LlmWire.context(),
				new Crash(22, 35, 7, "Does relu train better?", Map.of(), TYPO, "SyntaxError", 1)).orElseThrow();

		assertThat(fix.failed()).isTrue();
		assertThat(fix.error()).contains("diagnosis is missing");
		assertThat(body(wire.requests().get(0)).get("messages").get(1).get("content").asString())
			.contains("already a fix of an earlier crash");
	}
}
