package dev.nightshift.agent.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.ParameterCheck;
import dev.nightshift.experiments.proposal.PatchCheck;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.Violation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a draft before anyone sees it (SPEC section 5) and reports every broken rule at once: tied to a
 * question that is open (or new), and not a dead end again, by id or by the same words; parameters typed and
 * inside the search space; the patch within the size limits, applying cleanly to the experiment's best code and
 * touching only editable files; a rationale; texts without NUL characters; and not a duplicate of an earlier
 * proposal. People's proposals pass the same rules (through {@link ProposalIntake#submit}), so every violation
 * names its field and rule as well as the reason in words.
 * <p>A duplicate has the same normalised parameters and the same patch as an earlier proposal of the experiment
 * in any status but REJECTED: a vetoed, pending or finished change is not proposed twice, while a rejected one
 * was never seen by anyone and may come back once its fault is fixed.
 */
@Component
public class ProposalValidator {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ObjectProvider<PatchCheck> patchCheck;

	private final QuestionRepository questions;

	private final EarlierProposals earlier;

	ProposalValidator(ObjectProvider<PatchCheck> patchCheck, QuestionRepository questions, EarlierProposals earlier) {
		this.patchCheck = patchCheck;
		this.questions = questions;
		this.earlier = earlier;
	}

	/** The draft checked against the experiment; a failed draft ({@link ProposalDraft#failed()}) is not valid. */
	public Validation validate(Experiment experiment, ProposalDraft draft) {
		Reasons reasons = new Reasons();
		String patch = normalisePatch(draft.patch());
		if (draft.failed()) {
			reasons.add("answer", "agent-error", "agent error: " + draft.error());
			return new Validation(draft.params(), patch, null, reasons.list);
		}
		boolean texts = checkTexts(draft, reasons);
		Long questionId = checkQuestion(experiment, draft, reasons);
		Map<String, Object> params = draft.params();
		boolean paramsValid = true;
		try {
			params = ParameterCheck.normalise(experiment.spec(), draft.params());
		}
		catch (InvalidRequestException ex) {
			paramsValid = false;
			ex.violations().forEach(v -> reasons.add(v.field(), v.rule(), v.field() + ": " + v.message()));
		}
		if (params.isEmpty() && patch == null) {
			reasons.add("params", "not-empty", "change: a proposal must change parameters, code (patch), or both");
		}
		checkRationale(draft.rationale(), reasons);
		if (patch != null && texts) {
			checkPatch(experiment, patch, reasons);
		}
		if (paramsValid && texts && (!params.isEmpty() || patch != null)) {
			List<String> same = earlier.sameChange(experiment.id().value(), json.writeValueAsString(params), patch);
			if (!same.isEmpty()) {
				reasons.add("params", "duplicate",
						"duplicate: the same parameters and patch as proposal #" + same.get(0).replace(" ", " (") + ")");
			}
		}
		return new Validation(params, patch, questionId, reasons.list);
	}

	/**
	 * No text may carry a NUL character: PostgreSQL cannot store one, git reads it as binary, and no proposer
	 * means it. Also bounds the expected effect, which the other checks do not see.
	 *
	 * @return whether the texts are clean, so that the patch may go on to git
	 */
	private static boolean checkTexts(ProposalDraft draft, Reasons reasons) {
		int before = reasons.list.size();
		Map<String, String> texts = new LinkedHashMap<>();
		texts.put("question", draft.question());
		texts.put("patch", draft.patch());
		texts.put("rationale", draft.rationale());
		texts.put("expectedEffect", draft.expectedEffect());
		texts.forEach((field, text) -> {
			if (text != null && text.indexOf('\0') >= 0) {
				reasons.add(field, "no-nul", field + ": contains a NUL character (\\u0000); text only");
			}
		});
		draft.params().forEach((name, value) -> {
			if (value instanceof String text && text.indexOf('\0') >= 0) {
				reasons.add("params." + name, "no-nul", "params." + name + ": contains a NUL character (\\u0000)");
			}
		});
		if (draft.expectedEffect() != null
				&& draft.expectedEffect().getBytes(StandardCharsets.UTF_8).length > ProposalLimits.MAX_RATIONALE_BYTES) {
			reasons.add("expectedEffect", "too-long",
					"expectedEffect: longer than " + ProposalLimits.MAX_RATIONALE_BYTES + " bytes");
		}
		return reasons.list.size() == before;
	}

	/** The id of the existing question the draft refers to, or null; adds a reason for a dead end or a closed one. */
	private Long checkQuestion(Experiment experiment, ProposalDraft draft, Reasons reasons) {
		if (draft.questionId() != null) {
			Optional<Question> question = questions.findById(draft.questionId())
				.filter(q -> q.experimentId().equals(experiment.id()));
			if (question.isEmpty() && !hasWords(draft)) {
				reasons.add("questionId", "unknown", "questionId: question #" + draft.questionId()
						+ " does not belong to experiment "
						+ experiment.id());
				return null;
			}
			if (question.isEmpty()) {
				return newQuestion(experiment, draft, reasons);
			}
			Question q = question.get();
			if (q.status().isDeadEnd()) {
				reasons.add("questionId", "dead-end", "dead end: question #" + q.id() + " was closed as " + q.status()
						+ q.conclusion().map(c -> ": " + c).orElse(""));
			}
			else if (q.status() != QuestionStatus.OPEN) {
				reasons.add("questionId", "closed", "questionId: question #" + q.id() + " is closed (" + q.status()
						+ "); proposals may only study an open question");
			}
			return q.id().value();
		}
		return newQuestion(experiment, draft, reasons);
	}

	/**
	 * A questionId that names no question of the experiment, given with a question in words, is a new question:
	 * a provider whose schema cannot say null (Ollama's {@code format}) makes the model write some number there.
	 */
	private static boolean hasWords(ProposalDraft draft) {
		return draft.question() != null && !draft.question().isBlank();
	}

	/** Checks the words of a new question; the id of a dead end it repeats, or null. */
	private Long newQuestion(Experiment experiment, ProposalDraft draft, Reasons reasons) {
		String text = draft.question() == null ? "" : draft.question().strip();
		if (text.isEmpty()) {
			reasons.add("question", "required",
					"question: every proposal is tied to a research question; give questionId or question");
			return null;
		}
		if (text.getBytes(StandardCharsets.UTF_8).length > ProposalLimits.MAX_QUESTION_BYTES) {
			reasons.add("question", "too-long", "question: longer than " + ProposalLimits.MAX_QUESTION_BYTES + " bytes");
		}
		String words = text.toLowerCase(Locale.ROOT);
		for (Question deadEnd : questions.findByExperimentIdAndStatusIn(experiment.id().value(),
				List.of(QuestionStatus.DEAD_END, QuestionStatus.REFUTED), Pageable.unpaged())) {
			if (deadEnd.text().strip().toLowerCase(Locale.ROOT).equals(words)) {
				reasons.add("question", "dead-end", "dead end: the question repeats #" + deadEnd.id() + ", closed as "
						+ deadEnd.status()
						+ deadEnd.conclusion().map(c -> ": " + c).orElse(""));
				return deadEnd.id().value();
			}
		}
		return null;
	}

	private static void checkRationale(String rationale, Reasons reasons) {
		if (rationale == null || rationale.isBlank()) {
			reasons.add("rationale", "required", "rationale: say why this change is worth a run");
			return;
		}
		int bytes = rationale.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > ProposalLimits.MAX_RATIONALE_BYTES) {
			reasons.add("rationale", "too-long",
					"rationale: " + bytes + " bytes, more than the limit of " + ProposalLimits.MAX_RATIONALE_BYTES);
		}
	}

	private void checkPatch(Experiment experiment, String patch, Reasons reasons) {
		int bytes = patch.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > ProposalLimits.MAX_PATCH_BYTES) {
			reasons.add("patch", "too-large", "patch: " + bytes + " bytes, more than the limit of " + ProposalLimits.MAX_PATCH_BYTES);
			return;
		}
		if (experiment.spec().editable().isEmpty()) {
			reasons.add("patch", "nothing-editable", "patch: no file of this experiment is editable; propose parameters only");
			return;
		}
		PatchCheck check = patchCheck.getIfAvailable();
		if (check == null) {
			reasons.add("patch", "unchecked", "patch: cannot be checked, since this server has no patch checker");
			return;
		}
		List<String> files;
		try {
			files = check.touchedFiles(experiment.id(), null, patch);
		}
		catch (PatchCheck.InvalidPatchException ex) {
			reasons.add("patch", "does-not-apply", "patch: does not apply to the best run's code: " + ex.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			reasons.add("patch", "unchecked", "patch: could not be checked: " + ex.getMessage());
			return;
		}
		if (files.isEmpty()) {
			reasons.add("patch", "empty", "patch: changes nothing");
		}
		if (files.size() > ProposalLimits.MAX_PATCH_FILES) {
			reasons.add("patch", "too-many-files", "patch: touches " + files.size() + " files, more than the limit of "
					+ ProposalLimits.MAX_PATCH_FILES);
		}
		List<String> forbidden = EditableFiles.notEditable(files, experiment.spec().editable());
		if (!forbidden.isEmpty()) {
			reasons.add("patch", "not-editable", "patch: touches files that are not editable: " + String.join(", ", forbidden) + " (editable: "
					+ String.join(", ", experiment.spec().editable()) + ")");
		}
	}

	/** The broken rules found so far, in the order found. */
	private static final class Reasons {

		private final List<Violation> list = new ArrayList<>();

		void add(String field, String rule, String reason) {
			list.add(new Violation(field, rule, reason));
		}
	}

	/** Unix line endings and a final newline, so that equal patches compare equal and {@code git apply} reads them. */
	static String normalisePatch(String patch) {
		if (patch == null || patch.isBlank()) {
			return null;
		}
		String text = patch.replace("\r\n", "\n").replace('\r', '\n');
		return text.endsWith("\n") ? text : text + "\n";
	}
}
