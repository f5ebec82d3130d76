package dev.nightshift.agent.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.nightshift.agent.Reflection;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.agent.Usage;
import dev.nightshift.agent.llm.Answers.ReflectionAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reflections on several finished runs in one call, when they pile up faster than the model answers: the runs
 * are grouped by the question they studied and the model gives one verdict per question. A verdict on a
 * question that was not asked about is dropped; a call that gives nothing usable is one reflection without a
 * status, which carries only what it cost.
 */
final class BatchReflection {

	private static final Logger log = LoggerFactory.getLogger(BatchReflection.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Conversation conversation;
	private final DigestText digest;
	private final AgentProperties properties;

	BatchReflection(Conversation conversation, DigestText digest, AgentProperties properties) {
		this.conversation = conversation;
		this.digest = digest;
		this.properties = properties;
	}

	List<Reflection> reflect(ResearchContext context, List<RunSummary> finished, String researcher) {
		Map<Long, List<RunSummary>> byQuestion = new LinkedHashMap<>();
		finished.forEach(run -> byQuestion.computeIfAbsent(run.questionId(), q -> new ArrayList<>()).add(run));
		long first = byQuestion.keySet().iterator().next();
		try {
			List<ChatMessage> messages = List.of(SystemMessage.from(system(context)),
					UserMessage.from(request(digest.render(context, properties.tokenBudget()), context, byQuestion)));
			Conversation.Answer<List<ReflectionAnswer>> answer = conversation.ask(messages, schema(),
					BatchReflection::read);
			List<Reflection> reflections = new ArrayList<>();
			for (ReflectionAnswer verdict : answer.value()) {
				if (verdict.questionId() != null && byQuestion.containsKey(verdict.questionId())
						&& reflections.stream().noneMatch(r -> r.questionId() == verdict.questionId())) {
					reflections.add(new Reflection(verdict.questionId(), verdict.status(), verdict.conclusion(),
							reflections.isEmpty() ? answer.usage() : Usage.NONE));
				}
			}
			if (reflections.isEmpty()) {
				reflections.add(new Reflection(first, null, null, answer.usage()));
			}
			return reflections;
		}
		catch (ModelFault fault) {
			log.warn("{} gave no usable reflection on runs {}: {}", researcher,
					finished.stream().map(RunSummary::id).toList(), fault.getMessage());
			return List.of(new Reflection(first, null, null, fault.usage()));
		}
	}

	/** {@code {"reflections": [{"questionId", "status", "conclusion"}]}}. */
	static JsonSchema schema() {
		JsonObjectSchema verdict = JsonObjectSchema.builder()
			.addIntegerProperty("questionId", "the question judged, one of those listed")
			.addProperty("status", JsonEnumSchema.builder().enumValues(Answers.QUESTION_STATUSES).build())
			.addStringProperty("conclusion", "one or two sentences that every later proposer will read")
			.required("questionId", "status", "conclusion")
			.build();
		JsonObjectSchema root = JsonObjectSchema.builder()
			.addProperty("reflections", JsonArraySchema.builder().items(verdict).build())
			.required("reflections")
			.build();
		return JsonSchema.builder().name("reflections").rootElement(root).build();
	}

	static List<ReflectionAnswer> read(String answer) {
		JsonNode root;
		try {
			root = json.readTree(Answers.unwrap(answer));
		}
		catch (JacksonException ex) {
			throw new AnswerException("not valid JSON: " + ex.getOriginalMessage());
		}
		JsonNode list = root == null ? null : root.isArray() ? root : root.get("reflections");
		if (list == null || !list.isArray() || list.isEmpty()) {
			throw new AnswerException("expected an object with a non-empty \"reflections\" array");
		}
		List<ReflectionAnswer> verdicts = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			try {
				verdicts.add(Answers.reflection(list.get(i).toString()));
			}
			catch (AnswerException ex) {
				throw new AnswerException("reflections[" + i + "]: " + ex.getMessage());
			}
		}
		return verdicts;
	}

	private static String system(ResearchContext context) {
		return """
				You are a machine-learning researcher reviewing finished runs of the training program "%s" \
				(objective: %s %s). Decide, for each question listed, what its runs mean.

				Rules:
				- Answer with one JSON object and nothing else: no prose, no markdown fences.
				- One verdict per question listed, naming it by questionId.
				- status is OPEN (keep studying), SUPPORTED or REFUTED (the evidence decides), DEAD_END (more runs are \
				not worth it) or ABANDONED (drop it without a conclusion).
				- A difference within the run-to-run noise decides nothing: keep the question OPEN unless runs already \
				repeated it.
				- The conclusion is one or two sentences; every later proposer reads it.

				Answer shape: {"reflections": [{"questionId": <id>, "status": <status>, "conclusion": <text>}]}
				""".formatted(context.spec().name(), context.spec().objective().goal().name().toLowerCase(Locale.ROOT),
				context.spec().objective().metric());
	}

	private static String request(String digest, ResearchContext context, Map<Long, List<RunSummary>> byQuestion) {
		StringBuilder text = new StringBuilder(digest.strip()).append("\n\n## The runs to judge\n");
		String metric = context.spec().objective().metric();
		byQuestion.forEach((question, runs) -> {
			text.append("\nQuestion #").append(question);
			context.openQuestions().stream()
				.filter(q -> q.id() == question)
				.findFirst()
				.ifPresent(q -> text.append(": \"").append(q.text()).append("\" (").append(q.runs()).append(" runs so far)"));
			text.append('\n');
			for (RunSummary run : runs) {
				text.append("- run #").append(run.id()).append(": ").append(run.status());
				if (run.objective() != null) {
					text.append(", ").append(metric).append(" = ").append(run.objective());
				}
				if (run.verdict() != null) {
					text.append(", verdict ").append(run.verdict());
				}
				text.append(", params ").append(run.params());
				if (run.diff() != null) {
					text.append("\n  patch:\n").append(PlainDigest.clip(run.diff(), 1000));
				}
				if (run.logExcerpt() != null) {
					text.append("\n  end of log:\n").append(PlainDigest.clip(run.logExcerpt(), 600));
				}
				text.append('\n');
			}
		});
		text.append("\nGive one verdict per question above. Answer with JSON only.");
		return text.toString();
	}
}
