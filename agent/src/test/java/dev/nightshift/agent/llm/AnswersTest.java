package dev.nightshift.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import dev.nightshift.agent.llm.AgentProperties.Provider;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

/** How answers are read, and how long the researcher waits between tries. */
class AnswersTest {

	@Test
	void jsonIsFoundInsideFencesThinkingAndProse() {
		assertThat(Answers.unwrap("```json\n{\"a\": 1}\n```")).isEqualTo("{\"a\": 1}");
		assertThat(Answers.unwrap("<think>{not this}</think>\n{\"a\": 1}")).isEqualTo("{\"a\": 1}");
		assertThat(Answers.unwrap("Here you go: {\"a\": {\"b\": 2}} Enjoy!")).isEqualTo("{\"a\": {\"b\": 2}}");
		assertThat(Answers.unwrap(null)).isEmpty();
	}

	@Test
	void aSingleProposalOrABareArrayIsAcceptedAndNullParamsMeanKeepTheBase() {
		assertThat(Answers.proposals("{\"kind\": \"params\", \"params\": {\"lr\": 0.01, \"act\": null}, \"rationale\": \"r\"}"))
			.singleElement()
			.satisfies(p -> assertThat(p.toDraft(null).params()).containsOnlyKeys("lr"));
		assertThat(Answers.proposals("[]")).isEmpty();
	}

	@Test
	void wrongShapesSayWhatIsWrong() {
		assertThatThrownBy(() -> Answers.proposals("")).isInstanceOf(AnswerException.class).hasMessage("the answer is empty");
		assertThatThrownBy(() -> Answers.proposals("{\"proposals\": [{\"kind\": \"code\"}]}"))
			.hasMessageContaining("proposals[0].kind must be one of");
		assertThatThrownBy(() -> Answers.reflection("{\"questionId\": 1, \"status\": \"REFUTED\"}"))
			.hasMessage("a question closed as REFUTED needs a conclusion");
	}

	@Test
	void retryBackOffDoublesUpToItsCeilingAndStopsAfterTheRetries() {
		AgentProperties properties = new AgentProperties(Provider.OPENAI, "gpt-x", null, null, null, null, 5,
				Duration.ofSeconds(2), Duration.ofSeconds(10), null, null, null, null, null, null);

		BackOffExecution waits = Conversation.retryPolicy(properties).getBackOff().start();

		assertThat(List.of(waits.nextBackOff(), waits.nextBackOff(), waits.nextBackOff(), waits.nextBackOff(),
				waits.nextBackOff())).containsExactly(2000L, 4000L, 8000L, 10000L, 10000L);
		assertThat(waits.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void keyIsMaskedInAnyMessage() {
		assertThat(ApiKey.mask("Incorrect API key provided: sk-abc123", "sk-abc123")).isEqualTo("Incorrect API key provided: ***");
	}
}
