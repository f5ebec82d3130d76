package dev.nightshift.agent.llm;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.nightshift.agent.ModelCalled;
import dev.nightshift.agent.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * One question to the model, answered as JSON of a given shape: each request gets bounded retries with
 * exponential back-off (Spring's {@link RetryTemplate}) for rate limits, server errors, time-outs and broken
 * connections; an answer that does not
 * parse (malformed, or cut off at the output limit) gets one repair turn that quotes the error; the tokens of
 * every request are added up.
 */
final class Conversation {

	private static final Logger log = LoggerFactory.getLogger(Conversation.class);

	/** Longest raw answer kept for review. */
	static final int MAX_RAW_CHARS = 64 * 1024;

	/** A usable answer and what it cost. */
	record Answer<T>(T value, Usage usage) {
	}

	private final AgentProperties properties;

	private final ApiKey apiKey;

	private final RetryTemplate retries;

	// Told of every request's end, for the server's metrics; nobody by default.
	private volatile Consumer<ModelCalled> calls = call -> {
	};

	Conversation(AgentProperties properties, ApiKey apiKey) {
		this.properties = properties;
		this.apiKey = apiKey;
		this.retries = new RetryTemplate(retryPolicy(properties));
	}

	/** Tells {@code observer} of the end of every request to the model from now on. */
	void reportCallsTo(Consumer<ModelCalled> observer) {
		this.calls = observer;
	}

	/**
	 * @param reader turns the answer's text into the value, or throws {@link AnswerException} saying what is wrong
	 * @throws ModelFault when no usable answer came, with the usage and the raw answer so far
	 */
	<T> Answer<T> ask(List<ChatMessage> messages, JsonSchema schema, Function<String, T> reader) {
		String key = apiKey.read();
		ChatModel model;
		try {
			model = ChatModels.create(properties, key);
		}
		catch (RuntimeException ex) {
			throw new ModelFault("cannot set up the chat model: " + ApiKey.mask(describe(ex), key));
		}
		Usage spent = Usage.NONE;
		ChatResponse first = send(model, messages, schema, key, spent, null);
		spent = spent.plus(usage(first));
		String raw = text(first);
		String problem;
		try {
			return new Answer<>(reader.apply(raw), spent);
		}
		catch (AnswerException ex) {
			problem = problem(first, ex);
		}
		log.info("The model's answer was unusable ({}); asking once for a repair", problem);
		List<ChatMessage> repair = new ArrayList<>(messages);
		repair.add(AiMessage.from(raw.isEmpty() ? "(empty answer)" : raw));
		repair.add(UserMessage.from(Prompts.repair(problem)));
		ChatResponse second = send(model, repair, schema, key, spent, raw);
		spent = spent.plus(usage(second));
		String repaired = text(second);
		try {
			return new Answer<>(reader.apply(repaired), spent);
		}
		catch (AnswerException ex) {
			throw new ModelFault("unusable answer after one repair: " + problem(second, ex), spent,
					keep("first answer:\n" + raw + "\n\nanswer after the repair request:\n" + repaired));
		}
	}

	private ChatResponse send(ChatModel model, List<ChatMessage> messages, JsonSchema schema, String key, Usage spent,
			String rawSoFar) {
		ChatRequest request = ChatRequest.builder()
			.messages(messages)
			.responseFormat(ChatModels.responseFormat(properties, schema))
			.build();
		AtomicInteger attempts = new AtomicInteger();
		try {
			return retries.execute(() -> {
				if (attempts.getAndIncrement() > 0) {
					log.info("Model call: retry {} of {}", attempts.get() - 1, properties.maxRetries());
				}
				try {
					ChatResponse response = model.chat(request);
					report(true, usage(response));
					return response;
				}
				catch (RuntimeException failed) {
					report(false, Usage.NONE);
					throw failed;
				}
			});
		}
		catch (RetryException ex) {
			Throwable last = ex.getLastException() != null ? ex.getLastException() : ex.getCause();
			String fault = ApiKey.mask(describe(last == null ? ex : last), key);
			if (Thread.currentThread().isInterrupted()) {
				throw new ModelFault("interrupted while waiting to retry (" + fault + ")", spent, keep(rawSoFar));
			}
			String tries = attempts.get() <= 1 ? "" : " (after " + attempts.get() + " attempts)";
			log.warn("Model call failed: {}{}", fault, tries);
			throw new ModelFault(fault + tries, spent, keep(rawSoFar));
		}
	}

	private void report(boolean answered, Usage usage) {
		try {
			calls.accept(new ModelCalled(properties.provider().name().toLowerCase(java.util.Locale.ROOT), properties.model(),
					answered, usage));
		}
		catch (RuntimeException ex) {
			log.debug("Reporting a model call failed", ex);
		}
	}

	/**
	 * Spring's retry policy for one request: {@code maxRetries} retries of the retriable faults, the first after
	 * {@code backoff}, each later one after twice the wait before, at most {@code maxBackoff}.
	 */
	static RetryPolicy retryPolicy(AgentProperties properties) {
		Duration first = properties.backoff();
		Duration max = properties.maxBackoff().compareTo(first) < 0 ? first : properties.maxBackoff();
		return RetryPolicy.builder()
			.maxRetries(properties.maxRetries())
			.delay(first)
			.multiplier(2)
			.maxDelay(max)
			.predicate(Conversation::retriable)
			.build();
	}

	/** Rate limits, server errors and time-outs (LangChain4j's retriable kind) and broken connections. */
	static boolean retriable(Throwable ex) {
		if (ex instanceof NonRetriableException) {
			return false;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
			if (cause instanceof RetriableException || cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage() == null ? "" : ex.getMessage().strip();
		if (message.length() > 500) {
			message = message.substring(0, 500) + "…";
		}
		return ex.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
	}

	private String problem(ChatResponse response, AnswerException ex) {
		if (response.finishReason() == FinishReason.LENGTH) {
			return "the answer was cut off at the output limit of " + properties.maxOutputTokens() + " tokens ("
					+ ex.getMessage() + ")";
		}
		return ex.getMessage();
	}

	private Usage usage(ChatResponse response) {
		TokenUsage tokens = response.tokenUsage();
		if (tokens == null) {
			return Usage.NONE;
		}
		long in = tokens.inputTokenCount() == null ? 0 : tokens.inputTokenCount();
		long out = tokens.outputTokenCount() == null ? 0 : tokens.outputTokenCount();
		Usage usage = properties.usage(in, out);
		return new Usage(usage.inputTokens(), usage.outputTokens(), usage.costUsd(), PromptCache.cachedTokens(tokens));
	}

	private static String text(ChatResponse response) {
		String text = response.aiMessage() == null ? null : response.aiMessage().text();
		return text == null ? "" : text;
	}

	static String keep(String raw) {
		if (raw == null || raw.length() <= MAX_RAW_CHARS) {
			return raw;
		}
		return raw.substring(0, MAX_RAW_CHARS) + "\n… (" + (raw.length() - MAX_RAW_CHARS) + " more characters)";
	}
}
