package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.OPENAI_PATH;
import static dev.nightshift.agent.llm.LlmWire.answer;
import static dev.nightshift.agent.llm.LlmWire.openAi;
import static dev.nightshift.agent.llm.LlmWire.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.nightshift.agent.ModelCalled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The researcher reports every request to its model, retries included, with the tokens and cost of each. */
class ModelCallReportTest {

	static final LlmWire wire = new LlmWire();

	LlmResearcher researcher;

	final List<ModelCalled> calls = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		wire.server.resetAll();
		researcher = new LlmResearcher(wire.properties(AgentProperties.Provider.OPENAI, "/v1"), new PlainDigest(),
				LlmWire::environment);
		researcher.reportCallsTo(calls::add);
	}

	@AfterAll
	static void stop() {
		wire.close();
	}

	@Test
	void aRateLimitedRequestAndItsRetryAreTwoCallsAndOnlyTheAnsweredOneCarriesTokens() {
		wire.serve(OPENAI_PATH, status(429), openAi(answer("proposals.json"), "stop", 1200, 300));

		researcher.propose(LlmWire.context(), 2);

		assertThat(calls).hasSize(2);
		assertThat(calls.get(0).answered()).isFalse();
		assertThat(calls.get(0).usage().inputTokens()).isZero();
		ModelCalled answered = calls.get(1);
		assertThat(answered.answered()).isTrue();
		assertThat(answered.provider()).isEqualTo("openai");
		assertThat(answered.model()).isEqualTo("test-model");
		assertThat(answered.usage().inputTokens()).isEqualTo(1200);
		assertThat(answered.usage().outputTokens()).isEqualTo(300);
		assertThat(answered.usage().costUsd()).isCloseTo(0.0048, within(1e-12));
	}
}
