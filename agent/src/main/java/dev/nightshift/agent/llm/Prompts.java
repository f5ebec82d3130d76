package dev.nightshift.agent.llm;

import java.util.Locale;

import dev.nightshift.agent.Crash;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.Durations;
import dev.nightshift.experiments.spec.ExperimentSpec;

/**
 * What the researcher says to the model. The system message gives the role and the rules; the user message is
 * the research digest followed by what is asked. Nothing here ever holds a key.
 */
final class Prompts {

	private Prompts() {
	}

	/** The role and the rules for proposing. */
	static String proposerSystem(ExperimentSpec spec) {
		return """
				You are a machine-learning researcher running experiments overnight on the training program "%s". \
				Each run trains for %s and reports %s, which should be as %s as possible.

				Rules:
				- Answer with one JSON object and nothing else: no prose, no markdown fences.
				- Every proposal studies a research question: give the questionId of an open question, or a new \
				question in words.
				- Stay inside the search space: only the parameters listed, each of its type and within its bounds.
				- %s
				- Never propose a dead end again (a question closed as DEAD_END or REFUTED), nor a vetoed or rejected \
				proposal, nor anything already pending or already run; learn from their reasons.
				- Prefer small, clear changes whose effect a single run can show. Keep each rationale under 1000 \
				characters.

				Answer shape: {"proposals": [{"questionId": <id or null>, "question": <new question or null>, \
				"kind": "params" | "patch" | "both", "params": {<name>: <value>}, "patch": <diff or null>, \
				"rationale": <why>, "expectedEffect": <what you expect>}]}
				""".formatted(spec.name(), Durations.format(spec.budget().run()),
				spec.objective().metric(), spec.objective().goal().name().equals("MINIMIZE") ? "low" : "high",
				editingRule(spec));
	}

	/** The role and the rules for judging a finished run. */
	static String reflectorSystem(ExperimentSpec spec) {
		return """
				You are a machine-learning researcher reviewing a finished run of the training program "%s" \
				(objective: %s %s). Decide what the run means for the question it studied.

				Rules:
				- Answer with one JSON object and nothing else: no prose, no markdown fences.
				- status is OPEN (keep studying), SUPPORTED or REFUTED (the evidence decides), DEAD_END (more runs are \
				not worth it) or ABANDONED (drop it without a conclusion).
				- A difference within the run-to-run noise decides nothing: keep the question OPEN unless runs already \
				repeated it.
				- The conclusion is one or two sentences; every later proposer reads it.

				Answer shape: {"questionId": <id>, "status": <status>, "conclusion": <text>}
				""".formatted(spec.name(), spec.objective().goal().name().toLowerCase(Locale.ROOT),
				spec.objective().metric());
	}

	/** The role and the rules for fixing a patch that crashed. */
	static String debuggerSystem(ExperimentSpec spec) {
		return """
				You are a machine-learning researcher debugging a code change to the training program "%s" that \
				crashed before it could report %s. Read the end of its log and the patch, find the mistake, and give \
				the corrected patch, so the idea behind it gets a fair run.

				Rules:
				- Answer with one JSON object and nothing else: no prose, no markdown fences.
				- The fix is the whole corrected patch, a unified diff or SEARCH/REPLACE blocks against the best run's \
				code (the code the crashed patch was applied to), touching only files matching %s.
				- Keep the idea of the crashed patch: fix the mistake, do not try something else. Keep its parameter \
				values unless they caused the crash.
				- When the crash cannot be fixed (the idea itself is broken), answer with patch null and say why in \
				diagnosis.

				Answer shape: {"diagnosis": <what went wrong>, "patch": <corrected diff or null>, \
				"params": {<name>: <value>}, "rationale": <why the fix is right>, "expectedEffect": <what you expect>}
				""".formatted(spec.name(), spec.objective().metric(), String.join(", ", spec.editable()));
	}

	/** The digest, then the crashed patch with the end of its log, and the request for a fix. */
	static String debugRequest(String digest, Crash crash) {
		return digest.strip() + "\n\n## The crash to debug\nProposal #" + crash.proposalId() + " (question #"
				+ crash.questionId() + ": \"" + crash.question() + "\") crashed in run #" + crash.runId()
				+ (crash.depth() > 0 ? ", and it was already a fix of an earlier crash" : "") + ".\nparams: "
				+ crash.params() + "\npatch:\n" + PlainDigest.clip(crash.patch(), 6000) + "\nend of log:\n"
				+ PlainDigest.clip(crash.logTail() == null ? "(no log)" : crash.logTail(), 3000)
				+ "\n\n## Your task\nFind the mistake and give the corrected patch, or patch null when it cannot be "
				+ "fixed. Answer with JSON only.";
	}

	/** The digest and the request for {@code count} proposals. */
	static String proposalRequest(String digest, int count) {
		return digest.strip() + "\n\n## Your task\nPropose " + count + " new experiment" + (count == 1 ? "" : "s")
				+ ", each different from everything above. Answer with JSON only.";
	}

	/** The digest and the request for a verdict on one finished run. */
	static String reflectionRequest(String digest, ResearchContext context, RunSummary run) {
		StringBuilder text = new StringBuilder(digest.strip()).append("\n\n## The run to judge\n");
		text.append("Run #").append(run.id()).append(": ").append(run.status());
		if (run.objective() != null) {
			text.append(", ").append(context.spec().objective().metric()).append(" = ").append(run.objective());
		}
		if (run.delta() != null) {
			text.append(" (delta ").append(run.delta()).append(")");
		}
		if (run.verdict() != null) {
			text.append(", verdict ").append(run.verdict());
		}
		text.append("\nparams: ").append(run.params());
		if (run.diff() != null) {
			text.append("\npatch:\n").append(PlainDigest.clip(run.diff(), 2000));
		}
		if (run.logExcerpt() != null) {
			text.append("\nend of log:\n").append(PlainDigest.clip(run.logExcerpt(), 1500));
		}
		text.append("\n\nIt studied question #").append(run.questionId());
		context.openQuestions().stream()
			.filter(q -> run.questionId() != null && q.id() == run.questionId())
			.findFirst()
			.ifPresent(q -> text.append(": \"").append(q.text()).append("\" (").append(q.runs()).append(" runs so far)"));
		text.append(".\nDecide its status and give your conclusion. Answer with JSON only.");
		return text.toString();
	}

	/** The one repair request after an unusable answer. */
	static String repair(String problem) {
		return "Your answer could not be used: " + problem + ".\nAnswer again with one valid JSON object of the "
				+ "shape asked for, complete and nothing else. If it was cut off, make it shorter: fewer or smaller "
				+ "proposals, shorter rationales, smaller patches.";
	}

	private static String editingRule(ExperimentSpec spec) {
		if (spec.editable().isEmpty()) {
			return "No file is editable: propose parameter values only (patch null).";
		}
		return "Code changes go in patch, as a unified diff or SEARCH/REPLACE blocks against the best run's code, "
				+ "and may only touch files matching " + String.join(", ", spec.editable()) + ".";
	}
}
