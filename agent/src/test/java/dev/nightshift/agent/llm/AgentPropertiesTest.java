package dev.nightshift.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.nightshift.agent.llm.AgentProperties.AnswerFormat;
import dev.nightshift.agent.llm.AgentProperties.Provider;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The researcher's settings: bound from properties, defaults by provider, and never a key in sight. */
class AgentPropertiesTest {

	@Test
	void settingsBindFromPropertiesWithDefaultsByProvider() {
		AgentProperties properties = bind(Map.of("nightshift.agent.provider", "openai", "nightshift.agent.model", "gpt-x",
				"nightshift.agent.base-url", "http://127.0.0.1:8000/v1", "nightshift.agent.timeout", "30s",
				"nightshift.agent.response-format", "json", "nightshift.agent.input-price-per-million", "0.15"));

		assertThat(properties.provider()).isEqualTo(Provider.OPENAI);
		assertThat(properties.apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
		assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.maxRetries()).isEqualTo(3);
		assertThat(properties.backoff()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.tokenBudget()).isEqualTo(6000);
		assertThat(properties.maxOutputTokens()).isEqualTo(4096);
		assertThat(properties.responseFormat()).isEqualTo(AnswerFormat.JSON);
		assertThat(properties.keyRequired()).isFalse();
		assertThat(properties.usage(1_000_000, 0).costUsd()).isEqualTo(0.15);
		assertThat(AgentProperties.of(Provider.ANTHROPIC, "claude-x").apiKeyEnv()).isEqualTo("ANTHROPIC_API_KEY");
		assertThat(AgentProperties.of(Provider.OLLAMA, "llama").apiKeyEnv()).isNull();
		assertThat(AgentProperties.of(Provider.OPENAI, "gpt-x").keyRequired()).isTrue();
	}

	@Test
	void toStringSaysWhereTheKeyIsAndNeverWhatItIs() {
		AgentProperties properties = new AgentProperties(Provider.ANTHROPIC, "claude-x", null, null,
				Path.of("/run/secrets/anthropic"), null, null, null, null, null, null, null, null, null, null);

		assertThat(properties.toString()).contains("apiKey=(secret, from file /run/secrets/anthropic)");
		assertThat(AgentProperties.of(Provider.OPENAI, "gpt-x").toString()).contains("apiKey=(secret, from env OPENAI_API_KEY)");
	}

	@Test
	void providerWithoutModelIsAClearStartUpError() {
		assertThatThrownBy(() -> AgentProperties.of(Provider.OPENAI, " "))
			.hasMessage("nightshift.agent.model is required with nightshift.agent.provider=openai");
		assertThatThrownBy(() -> new AgentProperties(Provider.OLLAMA, "llama", null, null, null, Duration.ZERO, null, null,
				null, null, null, null, null, null, null)).hasMessageContaining("timeout must be positive");
	}

	@Test
	void researcherExistsOnlyWithAProvider() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(LlmConfiguration.class);

		runner.run(context -> assertThat(context).doesNotHaveBean(LlmResearcher.class));
		runner.withPropertyValues("nightshift.agent.provider=ollama", "nightshift.agent.model=qwen3:8b")
			.run(context -> assertThat(context.getBean(LlmResearcher.class).name()).isEqualTo("llm:qwen3:8b"));
		runner.withBean(DigestText.class, () -> (c, budget) -> "custom digest")
			.withPropertyValues("nightshift.agent.provider=anthropic", "nightshift.agent.model=claude-x")
			.run(context -> assertThat(context).hasSingleBean(LlmResearcher.class));
	}

	private static AgentProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bind("nightshift.agent", AgentProperties.class).get();
	}
}
