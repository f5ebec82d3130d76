package dev.nightshift.agent.llm;

import java.nio.file.Path;
import java.time.Duration;

import dev.nightshift.agent.Usage;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Settings of the LLM researcher. No API key is ever a setting: it comes from the environment variable named by
 * {@code api-key-env} or from the file at {@code api-key-file}, read at each call.
 *
 * @param provider              {@code openai}, {@code anthropic} or {@code ollama}; unset means no LLM researcher.
 *                              An OpenAI-compatible server (vLLM, llama.cpp server, LM Studio) is {@code openai}
 *                              with {@code base-url}
 * @param model                 the model name, required with a provider
 * @param baseUrl               the API's base URL (e.g. {@code http://127.0.0.1:8000/v1}); unset means the
 *                              provider's own service ({@code http://localhost:11434} for Ollama)
 * @param apiKeyEnv             the environment variable holding the key (default {@code OPENAI_API_KEY} or
 *                              {@code ANTHROPIC_API_KEY} by provider; none for Ollama)
 * @param apiKeyFile            a file holding the key (a mounted secret); it wins over {@code api-key-env}
 * @param timeout               how long one request may take (default 2 minutes)
 * @param maxRetries            retries after a rate limit (429), a server error (5xx), a time-out or a broken
 *                              connection (default 3)
 * @param backoff               the first retry's delay, doubled for each later one (default 2 s)
 * @param maxBackoff            the longest delay between retries (default 1 minute)
 * @param tokenBudget           tokens the research digest in the prompt may take (default 6000)
 * @param maxOutputTokens       tokens the model may answer with (default 4096)
 * @param temperature           sampling temperature; unset means the provider's default
 * @param responseFormat        {@code json-schema} (structured output, the default), {@code json} (JSON mode,
 *                              for servers without schemas) or {@code text} (instructions only)
 * @param inputPricePerMillion  US dollars per million prompt tokens, for the cost of each proposal (default 0)
 * @param outputPricePerMillion US dollars per million answer tokens (default 0)
 * @param maxCallsPerHour       the most calls for proposals one loop makes to the model in an hour, a hard
 *                              ceiling whatever the breaker says (default 120); one call is one question, its
 *                              repair turn and transport retries included
 * @param maxConcurrency        the most calls to the model at once, proposals and reflections of every loop
 *                              together (default 4); they run on an executor of their own, so a slow call never
 *                              holds up a loop's step, another loop or an HTTP request
 * @param maxProposalsPerCall   the most proposals asked for in one call (default 8): a loop asks for what its
 *                              slots lack, up to this, and spreads a larger need over several calls at once
 */
@ConfigurationProperties("nightshift.agent")
public record AgentProperties(Provider provider, String model, String baseUrl, String apiKeyEnv, Path apiKeyFile,
		Duration timeout, Integer maxRetries, Duration backoff, Duration maxBackoff, Integer tokenBudget,
		Integer maxOutputTokens, Double temperature, AnswerFormat responseFormat, Double inputPricePerMillion,
		Double outputPricePerMillion, Integer maxCallsPerHour, Integer maxConcurrency, Integer maxProposalsPerCall) {

	/** Settings with the default concurrency and proposals per call. */
	public AgentProperties(Provider provider, String model, String baseUrl, String apiKeyEnv, Path apiKeyFile,
			Duration timeout, Integer maxRetries, Duration backoff, Duration maxBackoff, Integer tokenBudget,
			Integer maxOutputTokens, Double temperature, AnswerFormat responseFormat, Double inputPricePerMillion,
			Double outputPricePerMillion, Integer maxCallsPerHour) {
		this(provider, model, baseUrl, apiKeyEnv, apiKeyFile, timeout, maxRetries, backoff, maxBackoff, tokenBudget,
				maxOutputTokens, temperature, responseFormat, inputPricePerMillion, outputPricePerMillion, maxCallsPerHour,
				null, null);
	}

	/** Settings without an hourly ceiling of their own (the default one). */
	public AgentProperties(Provider provider, String model, String baseUrl, String apiKeyEnv, Path apiKeyFile,
			Duration timeout, Integer maxRetries, Duration backoff, Duration maxBackoff, Integer tokenBudget,
			Integer maxOutputTokens, Double temperature, AnswerFormat responseFormat, Double inputPricePerMillion,
			Double outputPricePerMillion) {
		this(provider, model, baseUrl, apiKeyEnv, apiKeyFile, timeout, maxRetries, backoff, maxBackoff, tokenBudget,
				maxOutputTokens, temperature, responseFormat, inputPricePerMillion, outputPricePerMillion, (Integer) null);
	}

	/** The chat APIs the researcher speaks. */
	public enum Provider {
		OPENAI, ANTHROPIC, OLLAMA
	}

	/** How the answer's shape is asked for. */
	public enum AnswerFormat {
		/** A JSON schema the provider enforces (OpenAI strict structured output, Anthropic, Ollama). */
		JSON_SCHEMA,
		/** JSON mode without a schema; the shape is described in the instructions. */
		JSON,
		/** Plain text; the shape is described in the instructions. */
		TEXT
	}

	@ConstructorBinding
	public AgentProperties {
		if (provider != null && (model == null || model.isBlank())) {
			throw new IllegalArgumentException("nightshift.agent.model is required with nightshift.agent.provider="
					+ provider.name().toLowerCase());
		}
		baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip();
		apiKeyEnv = apiKeyEnv == null || apiKeyEnv.isBlank() ? defaultKeyVariable(provider) : apiKeyEnv.strip();
		timeout = positive(timeout, Duration.ofMinutes(2), "timeout");
		maxRetries = maxRetries == null ? 3 : maxRetries;
		if (maxRetries < 0) {
			throw new IllegalArgumentException("nightshift.agent.max-retries must not be negative, was " + maxRetries);
		}
		backoff = backoff == null ? Duration.ofSeconds(2) : backoff;
		maxBackoff = maxBackoff == null ? Duration.ofMinutes(1) : maxBackoff;
		if (backoff.isNegative() || maxBackoff.isNegative()) {
			throw new IllegalArgumentException("nightshift.agent.backoff and max-backoff must not be negative");
		}
		tokenBudget = tokenBudget == null ? 6000 : tokenBudget;
		maxOutputTokens = maxOutputTokens == null ? 4096 : maxOutputTokens;
		if (tokenBudget < 100 || maxOutputTokens < 100) {
			throw new IllegalArgumentException("nightshift.agent.token-budget and max-output-tokens must be at least 100");
		}
		responseFormat = responseFormat == null ? AnswerFormat.JSON_SCHEMA : responseFormat;
		inputPricePerMillion = inputPricePerMillion == null ? 0.0 : inputPricePerMillion;
		outputPricePerMillion = outputPricePerMillion == null ? 0.0 : outputPricePerMillion;
		maxCallsPerHour = maxCallsPerHour == null ? 120 : maxCallsPerHour;
		if (maxCallsPerHour < 1) {
			throw new IllegalArgumentException("nightshift.agent.max-calls-per-hour must be at least 1, was " + maxCallsPerHour);
		}
		maxConcurrency = maxConcurrency == null ? 4 : maxConcurrency;
		if (maxConcurrency < 1) {
			throw new IllegalArgumentException("nightshift.agent.max-concurrency must be at least 1, was " + maxConcurrency);
		}
		maxProposalsPerCall = maxProposalsPerCall == null ? 8 : maxProposalsPerCall;
		if (maxProposalsPerCall < 1) {
			throw new IllegalArgumentException(
					"nightshift.agent.max-proposals-per-call must be at least 1, was " + maxProposalsPerCall);
		}
	}

	/** Settings for {@code provider} and {@code model} with every default. */
	public static AgentProperties of(Provider provider, String model) {
		return new AgentProperties(provider, model, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null);
	}

	/** Whether a key is needed: the providers' own services need one, a local server usually does not. */
	public boolean keyRequired() {
		return provider == Provider.ANTHROPIC || (provider == Provider.OPENAI && baseUrl == null);
	}

	/** Tokens and their cost at the configured prices. */
	public Usage usage(long inputTokens, long outputTokens) {
		double cost = (inputTokens * inputPricePerMillion + outputTokens * outputPricePerMillion) / 1_000_000.0;
		return new Usage(inputTokens, outputTokens, cost);
	}

	// The record holds no key, only where to find one; saying so keeps anyone from adding it later unnoticed.
	@Override
	public String toString() {
		return "AgentProperties[provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl
				+ ", apiKey=(secret, from " + (apiKeyFile != null ? "file " + apiKeyFile : "env " + apiKeyEnv) + ")"
				+ ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", backoff=" + backoff + ", maxBackoff="
				+ maxBackoff + ", tokenBudget=" + tokenBudget + ", maxOutputTokens=" + maxOutputTokens + ", temperature="
				+ temperature + ", responseFormat=" + responseFormat + ", inputPricePerMillion=" + inputPricePerMillion
				+ ", outputPricePerMillion=" + outputPricePerMillion + ", maxCallsPerHour=" + maxCallsPerHour + ", maxConcurrency=" + maxConcurrency
				+ ", maxProposalsPerCall=" + maxProposalsPerCall + "]";
	}

	private static String defaultKeyVariable(Provider provider) {
		if (provider == Provider.OPENAI) {
			return "OPENAI_API_KEY";
		}
		return provider == Provider.ANTHROPIC ? "ANTHROPIC_API_KEY" : null;
	}

	private static Duration positive(Duration value, Duration fallback, String name) {
		if (value == null) {
			return fallback;
		}
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("nightshift.agent." + name + " must be positive, was " + value);
		}
		return value;
	}
}
