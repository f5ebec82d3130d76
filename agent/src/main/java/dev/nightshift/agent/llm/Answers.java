package dev.nightshift.agent.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.agent.Crash;
import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Usage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model's answers as typed records, read from its JSON with Jackson. Reading is lenient about wrapping (a
 * markdown fence, a reasoning model's {@code <think>} block, prose around the object) and strict about shape: a
 * wrong shape is an {@link AnswerException}, which earns the answer one repair request.
 */
final class Answers {

	/** The statuses a reflection may give a question. */
	static final List<String> QUESTION_STATUSES = List.of("OPEN", "SUPPORTED", "REFUTED", "DEAD_END", "ABANDONED");

	private static final Set<String> KINDS = Set.of("params", "patch", "both");

	private static final Pattern THINKING = Pattern.compile("(?s)<think>.*?</think>");

	private static final Pattern FENCE = Pattern.compile("(?s)^```[a-zA-Z]*\\s*(.*?)\\s*```$");

	// Jackson names the (redacted) source in some messages; the model is better off without it.
	private static final Pattern SOURCE = Pattern.compile("\\s*\\(start marker at \\[Source:.*?]\\)");

	private static final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	/** One proposal as the model wrote it. */
	record ProposalAnswer(Long questionId, String question, String kind, Map<String, Object> params, String patch,
			String rationale, String expectedEffect) {

		/** The draft it makes; parameters set to null mean "keep the base's value" and are left out. */
		ProposalDraft toDraft(Usage usage) {
			Map<String, Object> values = new LinkedHashMap<>();
			if (params != null) {
				params.forEach((name, value) -> {
					if (value != null) {
						values.put(name, value);
					}
				});
			}
			return ProposalDraft.of(questionId, blankToNull(question), values, patch == null || patch.isBlank() ? null : patch,
					blankToNull(rationale),
					blankToNull(expectedEffect), usage);
		}
	}

	/** What the model concluded about a question after a run. */
	record ReflectionAnswer(Long questionId, String status, String conclusion) {
	}

	/**
	 * A fix of a crashed patch as the model wrote it; no patch means the model found nothing to fix.
	 */
	record FixAnswer(String diagnosis, String patch, Map<String, Object> params, String rationale,
			String expectedEffect) {

		/**
		 * The draft of the fix: the crashed proposal's question and parameter values, the values the model set
		 * (null ones left out) over them, the corrected patch, and the diagnosis before the rationale.
		 */
		ProposalDraft toDraft(Crash crash, Usage usage) {
			Map<String, Object> values = new LinkedHashMap<>(crash.params());
			if (params != null) {
				params.forEach((name, value) -> {
					if (value != null) {
						values.put(name, value);
					}
				});
			}
			String why = blankToNull(rationale);
			String text = "Fix of proposal #" + crash.proposalId() + ", which crashed in run #" + crash.runId() + ": "
					+ blankToNull(diagnosis) + (why == null ? "" : " " + why);
			return ProposalDraft.of(crash.questionId(), null, values, patch, text,
					blankToNull(expectedEffect), usage);
		}
	}

	private Answers() {
	}

	/** The fix in an answer shaped {@code {"diagnosis", "patch", "params", "rationale", "expectedEffect"}}. */
	static FixAnswer fix(String answer) {
		JsonNode root = tree(answer);
		if (!root.isObject()) {
			throw new AnswerException("expected an object with diagnosis, patch and rationale");
		}
		FixAnswer fix = convert(root, FixAnswer.class, "the answer");
		if (blankToNull(fix.diagnosis()) == null) {
			throw new AnswerException("diagnosis is missing; say what made the patch crash");
		}
		return new FixAnswer(fix.diagnosis(), blankToNull(fix.patch()) == null ? null : fix.patch(), fix.params(),
				fix.rationale(), fix.expectedEffect());
	}

	/** The proposals in an answer shaped {@code {"proposals": [...]}}; a bare array or one proposal also passes. */
	static List<ProposalAnswer> proposals(String answer) {
		JsonNode root = tree(answer);
		JsonNode list = root.isArray() ? root : root.get("proposals");
		if (list == null && root.isObject() && root.has("rationale")) {
			list = json.createArrayNode().add(root);
		}
		if (list == null || !list.isArray()) {
			throw new AnswerException("expected an object with a \"proposals\" array");
		}
		List<ProposalAnswer> proposals = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			JsonNode element = list.get(i);
			if (!element.isObject()) {
				throw new AnswerException("proposals[" + i + "] is not an object");
			}
			ProposalAnswer proposal = convert(element, ProposalAnswer.class, "proposals[" + i + "]");
			if (proposal.kind() != null && !KINDS.contains(proposal.kind().strip().toLowerCase(Locale.ROOT))) {
				throw new AnswerException("proposals[" + i + "].kind must be one of " + KINDS + ", was '"
						+ proposal.kind() + "'");
			}
			proposals.add(proposal);
		}
		return proposals;
	}

	/** The reflection in an answer shaped {@code {"questionId", "status", "conclusion"}}. */
	static ReflectionAnswer reflection(String answer) {
		JsonNode root = tree(answer);
		if (!root.isObject()) {
			throw new AnswerException("expected an object with questionId, status and conclusion");
		}
		ReflectionAnswer reflection = convert(root, ReflectionAnswer.class, "the answer");
		// List.of(...).contains(null) throws, so a missing status is named before the list is asked.
		if (reflection.status() == null || reflection.status().isBlank()) {
			throw new AnswerException("status is missing; it must be one of " + QUESTION_STATUSES);
		}
		String status = reflection.status().strip().toUpperCase(Locale.ROOT);
		if (!QUESTION_STATUSES.contains(status)) {
			throw new AnswerException("status must be one of " + QUESTION_STATUSES + ", was '" + reflection.status() + "'");
		}
		String conclusion = blankToNull(reflection.conclusion());
		if (conclusion == null && !"OPEN".equals(status)) {
			throw new AnswerException("a question closed as " + status + " needs a conclusion");
		}
		return new ReflectionAnswer(reflection.questionId(), status, conclusion);
	}

	private static JsonNode tree(String answer) {
		String text = unwrap(answer);
		if (text.isEmpty()) {
			throw new AnswerException("the answer is empty");
		}
		try {
			return json.readTree(text);
		}
		catch (JacksonException ex) {
			throw new AnswerException("not valid JSON: " + SOURCE.matcher(ex.getOriginalMessage()).replaceAll("")
					+ location(ex));
		}
	}

	private static <T> T convert(JsonNode node, Class<T> type, String what) {
		try {
			return json.treeToValue(node, type);
		}
		catch (JacksonException ex) {
			throw new AnswerException(what + " has the wrong shape: " + ex.getOriginalMessage());
		}
	}

	/** The JSON inside whatever the model wrapped it in. */
	static String unwrap(String answer) {
		String text = THINKING.matcher(answer == null ? "" : answer).replaceAll("").strip();
		Matcher fence = FENCE.matcher(text);
		if (fence.matches()) {
			text = fence.group(1).strip();
		}
		if (!text.isEmpty() && text.charAt(0) != '{' && text.charAt(0) != '[') {
			int start = text.indexOf('{');
			int end = text.lastIndexOf('}');
			if (start >= 0 && end > start) {
				text = text.substring(start, end + 1);
			}
		}
		return text;
	}

	private static String location(JacksonException ex) {
		return ex.getLocation() == null ? ""
				: " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
	}

	static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}
}
