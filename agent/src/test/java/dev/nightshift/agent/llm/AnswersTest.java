package dev.nightshift.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.nightshift.agent.llm.AgentProperties.Provider;
import org.junit.jupiter.api.Test;

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
	void backOffDoublesUpToItsCeiling() {
		AgentProperties properties = new AgentProperties(Provider.OPENAI, "gpt-x", null, null, null, null, 5,
				Duration.ofSeconds(2), Duration.ofSeconds(10), null, null, null, null, null, null);
		Conversation conversation = new Conversation(properties, new ApiKey(properties, name -> null));

		assertThat(conversation.delayMillis(0)).isEqualTo(2000);
		assertThat(conversation.delayMillis(1)).isEqualTo(4000);
		assertThat(conversation.delayMillis(2)).isEqualTo(8000);
		assertThat(conversation.delayMillis(3)).isEqualTo(10000);
		assertThat(conversation.delayMillis(40)).isEqualTo(10000);
	}

	@Test
	void keyIsMaskedInAnyMessage() {
		assertThat(ApiKey.mask("Incorrect API key provided: sk-abc123", "sk-abc123")).isEqualTo("Incorrect API key provided: ***");
	}
}
