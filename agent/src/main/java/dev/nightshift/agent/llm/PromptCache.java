package dev.nightshift.agent.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;

/**
 * Prompt caching where the provider offers it through LangChain4j. Anthropic caches what is marked: the system
 * message (the role and the rules, the same on every call of an experiment) is. OpenAI caches a repeated prompt
 * prefix by itself; the system message comes first and stays the same, so the prefix is stable. The tokens read
 * from the cache are counted apart ({@link dev.nightshift.agent.Usage#cachedTokens()}).
 */
final class PromptCache {

	private PromptCache() {
	}

	/** Marks the system message for Anthropic's prompt cache. */
	static void anthropic(AnthropicChatModel.AnthropicChatModelBuilder builder) {
		builder.cacheSystemMessages(true);
	}

	/** Prompt tokens the provider read from its cache; 0 when it says nothing about a cache. */
	static long cachedTokens(TokenUsage tokens) {
		if (tokens instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null
				&& openAi.inputTokensDetails().cachedTokens() != null) {
			return openAi.inputTokensDetails().cachedTokens();
		}
		if (tokens instanceof AnthropicTokenUsage anthropic && anthropic.cacheReadInputTokens() != null) {
			return anthropic.cacheReadInputTokens();
		}
		return 0;
	}
}
