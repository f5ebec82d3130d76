package dev.nightshift.agent.llm;

import static dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA;

import java.util.Map;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

/**
 * Builds the LangChain4j chat model for the configured provider, for one call. The models' own retries are off
 * (the researcher retries with its own back-off) and so is their request logging, which would print headers.
 */
final class ChatModels {

	static final String OLLAMA_DEFAULT_URL = "http://localhost:11434";

	private ChatModels() {
	}

	/** @param key the API key, or null for a server that needs none */
	static ChatModel create(AgentProperties properties, String key) {
		boolean schema = properties.responseFormat() == AgentProperties.AnswerFormat.JSON_SCHEMA;
		return switch (properties.provider()) {
			case OPENAI -> openAi(properties, key, schema);
			case ANTHROPIC -> anthropic(properties, key, schema);
			case OLLAMA -> ollama(properties, key, schema);
		};
	}

	/** How to ask this provider for the answer's shape; null asks for plain text. */
	static ResponseFormat responseFormat(AgentProperties properties, JsonSchema schema) {
		switch (properties.responseFormat()) {
			case JSON_SCHEMA:
				return ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build();
			case JSON:
				// Anthropic has no schemaless JSON mode; the instructions describe the shape.
				return properties.provider() == AgentProperties.Provider.ANTHROPIC ? null : ResponseFormat.JSON;
			default:
				return null;
		}
	}

	private static ChatModel openAi(AgentProperties properties, String key, boolean schema) {
		OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
			.baseUrl(properties.baseUrl())
			.apiKey(key)
			.modelName(properties.model())
			.timeout(properties.timeout())
			.maxRetries(0)
			.temperature(properties.temperature())
			.logRequests(false)
			.logResponses(false);
		// OpenAI's own service wants max_completion_tokens; compatible servers know max_tokens.
		if (properties.baseUrl() == null) {
			builder.maxCompletionTokens(properties.maxOutputTokens());
		}
		else {
			builder.maxTokens(properties.maxOutputTokens());
		}
		if (schema) {
			builder.supportedCapabilities(RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true);
		}
		return builder.build();
	}

	private static ChatModel anthropic(AgentProperties properties, String key, boolean schema) {
		AnthropicChatModel.AnthropicChatModelBuilder builder = AnthropicChatModel.builder()
			.apiKey(key)
			.modelName(properties.model())
			.timeout(properties.timeout())
			.maxRetries(0)
			.maxTokens(properties.maxOutputTokens())
			.temperature(properties.temperature())
			.logRequests(false)
			.logResponses(false);
		PromptCache.anthropic(builder);
		if (properties.baseUrl() != null) {
			builder.baseUrl(properties.baseUrl());
		}
		if (schema) {
			builder.supportedCapabilities(RESPONSE_FORMAT_JSON_SCHEMA);
		}
		return builder.build();
	}

	private static ChatModel ollama(AgentProperties properties, String key, boolean schema) {
		OllamaChatModel.OllamaChatModelBuilder builder = OllamaChatModel.builder()
			.baseUrl(properties.baseUrl() == null ? OLLAMA_DEFAULT_URL : properties.baseUrl())
			.modelName(properties.model())
			.timeout(properties.timeout())
			.maxRetries(0)
			.numPredict(properties.maxOutputTokens())
			.temperature(properties.temperature())
			.logRequests(false)
			.logResponses(false);
		if (key != null) {
			// Ollama itself has no keys; a proxy in front of it may want one.
			builder.customHeaders(Map.of("Authorization", "Bearer " + key));
		}
		if (schema) {
			builder.supportedCapabilities(RESPONSE_FORMAT_JSON_SCHEMA);
		}
		return builder.build();
	}
}
