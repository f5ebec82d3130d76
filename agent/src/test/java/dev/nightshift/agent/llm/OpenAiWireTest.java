package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.KEY;
import static dev.nightshift.agent.llm.LlmWire.OPENAI_PATH;
import static dev.nightshift.agent.llm.LlmWire.answer;
import static dev.nightshift.agent.llm.LlmWire.body;
import static dev.nightshift.agent.llm.LlmWire.openAi;
import static dev.nightshift.agent.llm.LlmWire.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The researcher against a local server speaking OpenAI's chat completions, faults included. */
class OpenAiWireTest {

	static final LlmWire wire = new LlmWire();

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
	void validAnswerBecomesTypedDraftsWithTheirCost() {
		wire.serve(OPENAI_PATH, openAi(answer("proposals.json"), "stop", 1200, 300));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(researcher.name()).isEqualTo("llm:test-model");
		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		ProposalDraft first = drafts.get(0);
		assertThat(first.questionId()).isNull();
		assertThat(first.question()).isEqualTo("Does a higher learning rate lower val_loss within the budget?");
		assertThat(first.params()).containsExactly(Map.entry("lr", 0.01));
		assertThat(first.patch()).isNull();
		assertThat(first.expectedEffect()).isEqualTo("val_loss about 0.05 lower");
		// 1200 tokens at $2 and 300 at $8 per million.
		assertThat(first.usage().inputTokens()).isEqualTo(1200);
		assertThat(first.usage().outputTokens()).isEqualTo(300);
		assertThat(first.usage().costUsd()).isCloseTo(0.0048, within(1e-12));
		ProposalDraft second = drafts.get(1);
		assertThat(second.questionId()).isEqualTo(7L);
		assertThat(second.params()).containsOnly(Map.entry("n_embd", 32), Map.entry("act", "relu"));
		assertThat(second.patch()).startsWith("--- a/train.py\n").endsWith("+warmup = 100\n");
		assertThat(second.usage()).isEqualTo(Usage.NONE);
	}

	@Test
	void requestCarriesTheSchemaTheRulesAndTheDigestAndTheKeyOnlyInItsHeader() {
		wire.serve(OPENAI_PATH, openAi(answer("proposals.json"), "stop", 10, 10));

		researcher.propose(LlmWire.context(), 2);

		LoggedRequest request = wire.requests().get(0);
		JsonNode body = body(request);
		JsonNode format = body.get("response_format");
		assertThat(format.get("type").asString()).isEqualTo("json_schema");
		assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
		JsonNode proposal = format.get("json_schema").get("schema").get("properties").get("proposals").get("items");
		JsonNode params = proposal.get("properties").get("params").get("properties");
		assertThat(params.propertyNames()).containsExactly("lr", "n_embd", "act");
		assertThat(params.get("lr").get("type").toString()).contains("number").contains("null");
		assertThat(params.get("n_embd").get("type").toString()).contains("integer");
		assertThat(body.get("model").asString()).isEqualTo("test-model");

		JsonNode messages = body.get("messages");
		assertThat(messages.get(0).get("role").asString()).isEqualTo("system");
		assertThat(messages.get(0).get("content").asString()).contains("JSON", "search space", "train.py", "dead end");
		String user = messages.get(1).get("content").asString();
		assertThat(user).contains("Lower val_loss on the tiny Shakespeare set", "Does dropout help a model this small?",
				"too aggressive: it diverged before", "Propose 2 new experiments");

		assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
		assertThat(request.getBodyAsString()).doesNotContain(KEY);
		assertKeyOnlyIn(request, "Authorization");
	}

	@Test
	void malformedAnswerGetsOneRepairRequestQuotingTheError() {
		String broken = "{\"proposals\": [{\"kind\": \"params\", \"params\": {\"lr\": 0.01}, \"rationale\": \"higher lr\"";
		wire.serve(OPENAI_PATH, openAi(broken, "stop", 100, 20), openAi(answer("proposals.json"), "stop", 150, 300));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(drafts.get(0).usage().inputTokens()).isEqualTo(250);
		assertThat(drafts.get(0).usage().outputTokens()).isEqualTo(320);
		List<LoggedRequest> requests = wire.requests();
		assertThat(requests).hasSize(2);
		JsonNode messages = body(requests.get(1)).get("messages");
		assertThat(messages).hasSize(4);
		assertThat(messages.get(2).get("role").asString()).isEqualTo("assistant");
		assertThat(messages.get(2).get("content").asString()).isEqualTo(broken);
		assertThat(messages.get(3).get("content").asString()).contains("could not be used", "not valid JSON");
		assertThat(body(requests.get(1)).get("response_format").get("type").asString()).isEqualTo("json_schema");
	}

	@Test
	void answerStillMalformedAfterTheRepairIsAnAgentErrorKeepingBothAnswers() {
		wire.serve(OPENAI_PATH, openAi("Sure! Here are my ideas: raise lr.", "stop", 100, 10),
				openAi("{\"proposals\": \"raise lr\"}", "stop", 120, 10));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 3);

		assertThat(drafts).singleElement().satisfies(draft -> {
			assertThat(draft.failed()).isTrue();
			assertThat(draft.error()).startsWith("unusable answer after one repair").contains("\"proposals\" array");
			assertThat(draft.rawAnswer()).contains("Sure! Here are my ideas", "{\"proposals\": \"raise lr\"}");
			assertThat(draft.usage().inputTokens()).isEqualTo(220);
			assertThat(draft.usage().outputTokens()).isEqualTo(20);
			assertThat(draft.usage().costUsd()).isCloseTo((220 * 2.0 + 20 * 8.0) / 1_000_000, within(1e-12));
		});
		assertThat(wire.requests()).hasSize(2);
	}

	@Test
	void truncatedAnswerIsRepairedWithAShorterOne() {
		String cut = answer("proposals.json").substring(0, 300);
		wire.serve(OPENAI_PATH, openAi(cut, "length", 100, 4096), openAi(answer("proposals.json"), "stop", 100, 300));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		String repair = body(wire.requests().get(1)).get("messages").get(3).get("content").asString();
		assertThat(repair).contains("cut off at the output limit of 4096 tokens", "make it shorter");
	}

	@Test
	void rateLimitIsRetriedAfterABackOff() {
		wire.serve(OPENAI_PATH, status(429), openAi(answer("proposals.json"), "stop", 10, 10));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).hasSize(2).noneMatch(ProposalDraft::failed);
		assertThat(wire.requests()).hasSize(2);
	}

	@Test
	void serverErrorsBeyondTheRetriesBecomeAFailedDraft() {
		wire.serve(OPENAI_PATH, status(500), status(503), status(502), openAi(answer("proposals.json"), "stop", 1, 1));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).singleElement().satisfies(draft -> {
			assertThat(draft.failed()).isTrue();
			assertThat(draft.error()).contains("InternalServerException", "after 3 attempts");
			assertThat(draft.rawAnswer()).isNull();
			assertThat(draft.usage()).isEqualTo(Usage.NONE);
		});
		assertThat(wire.requests()).hasSize(3);
	}

	@Test
	void timeOutIsRetriedAndEndsAsAFailedDraftNotAnException() {
		AgentProperties fast = new AgentProperties(AgentProperties.Provider.OPENAI, "test-model", wire.baseUrl() + "/v1",
				null, null, java.time.Duration.ofMillis(300), 1, java.time.Duration.ofMillis(1),
				java.time.Duration.ofMillis(1), null, null, null, null, null, null);
		LlmResearcher slow = new LlmResearcher(fast, new PlainDigest(), LlmWire::environment);
		wire.serve(OPENAI_PATH, openAi(answer("proposals.json"), "stop", 1, 1).withFixedDelay(2000),
				openAi(answer("proposals.json"), "stop", 1, 1).withFixedDelay(2000));

		List<ProposalDraft> drafts = slow.propose(LlmWire.context(), 2);

		assertThat(drafts).singleElement().satisfies(draft -> {
			assertThat(draft.failed()).isTrue();
			assertThat(draft.error()).contains("TimeoutException", "after 2 attempts");
		});
	}

	@Test
	void authenticationFailureIsNotRetried() {
		wire.serve(OPENAI_PATH, status(401), openAi(answer("proposals.json"), "stop", 1, 1));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 2);

		assertThat(drafts).singleElement().satisfies(draft -> assertThat(draft.error()).contains("AuthenticationException"));
		assertThat(wire.requests()).hasSize(1);
	}

	@Test
	void missingKeyIsAFailedDraftNamingTheVariableAndSendsNothing() {
		LlmResearcher keyless = new LlmResearcher(AgentProperties.of(AgentProperties.Provider.OPENAI, "gpt-test"),
				new PlainDigest(), name -> null);

		List<ProposalDraft> drafts = keyless.propose(LlmWire.context(), 1);

		assertThat(drafts).singleElement()
			.satisfies(draft -> assertThat(draft.error()).isEqualTo(
					"no API key: set the environment variable OPENAI_API_KEY or nightshift.agent.api-key-file"));
		assertThat(wire.requests()).isEmpty();
	}

	@Test
	void extraProposalsAreDroppedAndTheCallIsPaidOnce() {
		wire.serve(OPENAI_PATH, openAi(answer("proposals.json"), "stop", 1000, 100));

		List<ProposalDraft> drafts = researcher.propose(LlmWire.context(), 1);

		assertThat(drafts).singleElement().satisfies(draft -> assertThat(draft.usage().inputTokens()).isEqualTo(1000));
	}

	static void assertKeyOnlyIn(LoggedRequest request, String header) {
		for (HttpHeader each : request.getHeaders().all()) {
			if (!each.key().equalsIgnoreCase(header)) {
				assertThat(each.values()).as("header %s", each.key()).noneMatch(value -> value.contains(KEY));
			}
		}
		assertThat(request.getUrl()).doesNotContain(KEY);
	}
}
