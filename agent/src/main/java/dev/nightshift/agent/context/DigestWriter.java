package dev.nightshift.agent.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.Decision;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.importance.Importance;
import dev.nightshift.experiments.spec.ExperimentSpec;

/** Writes a digest at one level of detail; {@link DigestRenderer} picks the level that fits the budget. */
final class DigestWriter {

	private final ResearchContext context;
	private final Detail detail;
	private final StringBuilder out = new StringBuilder();

	private DigestWriter(ResearchContext context, Detail detail) {
		this.context = context;
		this.detail = detail;
	}

	static String write(ResearchContext context, Detail detail) {
		return new DigestWriter(context, detail).all();
	}

	private String all() {
		ExperimentSpec spec = context.spec();
		out.append("# Experiment ").append(spec.name()).append('\n');
		out.append("Objective: ").append(spec.objective().metric()).append(", ").append(spec.objective().goal().text())
			.append(". Each run gets ").append(spec.budget().run().toString().substring(2).toLowerCase())
			.append(". Editable files: ")
			.append(spec.editable().isEmpty() ? "none (parameters only)" : String.join(", ", spec.editable()))
			.append(".\n");
		section("Brief");
		out.append(spec.brief().isBlank() ? "(none)" : Texts.cut(spec.brief().strip(), detail.briefChars())).append('\n');
		searchSpace(spec);
		whatMatters();
		bestRun();
		recentRuns();
		topRuns();
		deadEnds();
		openQuestions();
		vetoes();
		crashes();
		budget();
		return out.toString();
	}

	private void searchSpace(ExperimentSpec spec) {
		section("Search space");
		if (spec.parameters().isEmpty()) {
			out.append("(no parameters)\n");
		}
		spec.parameters().forEach((name, parameter) -> out.append("- ").append(name).append(": ")
			.append(Texts.describe(parameter)).append('\n'));
	}

	/** Parameter importance with its caveat; left out where the context carries none. */
	private void whatMatters() {
		Importance importance = context.importance();
		if (importance == null) {
			return;
		}
		section("What matters (parameter importance)");
		if (importance.runsUsed() < 2) {
			out.append(importance.note()).append('\n');
			return;
		}
		if (!importance.trustworthy()) {
			out.append("NOT YET TRUSTWORTHY: ").append(importance.runsUsed()).append(" of the ")
				.append(importance.runsNeeded()).append(" successful runs it needs; a first impression only.\n");
		}
		for (Importance.ParameterEffect effect : importance.parameters()) {
			out.append("- ").append(effect.name()).append(": ").append(effect.percent())
				.append(effect.varied() ? "" : " (not varied yet: says nothing)").append('\n');
		}
		out.append(importance.note()).append('\n');
	}

	private void bestRun() {
		section("Best run");
		RunSummary best = context.best();
		if (best == null) {
			out.append("None yet: no run has succeeded.\n");
		}
		else {
			out.append(runLine(best, true)).append('\n');
			out.append("changed from the defaults: ").append(changesFromDefaults(best.params())).append('\n');
			diff(best.diff());
		}
		RunSummary baseline = context.baseline();
		if (baseline != null) {
			out.append("Baseline: run ").append(baseline.id()).append(", ").append(context.spec().objective().metric())
				.append(' ').append(Texts.number(baseline.objective())).append(" (").append(baseline.status())
				.append("). Deltas (Δ) below are against it.\n");
		}
		else if (best != null) {
			out.append("No baseline yet; deltas (Δ) below are against the best run.\n");
		}
	}

	private void diff(String diff) {
		if (diff == null || diff.isBlank()) {
			out.append("diff: none (parameters only)\n");
			return;
		}
		long lines = diff.lines().count();
		if (detail.diffChars() == 0) {
			out.append("diff: ").append(lines).append(" lines, left out to fit the budget\n");
			return;
		}
		boolean cut = diff.length() > detail.diffChars();
		out.append("diff (").append(lines).append(" lines").append(cut ? ", cut to fit the budget" : "").append("):\n```diff\n")
			.append(Texts.cut(diff.strip(), detail.diffChars())).append("\n```\n");
	}

	private String changesFromDefaults(Map<String, Object> params) {
		StringJoiner changes = new StringJoiner(", ");
		context.spec().parameters().forEach((name, parameter) -> {
			Object value = params == null ? null : params.get(name);
			if (value != null && !Texts.sameValue(value, parameter.defaultObject())) {
				changes.add(name + " " + Texts.value(parameter.defaultObject()) + "→" + Texts.value(value));
			}
		});
		return changes.length() == 0 ? "nothing" : changes.toString();
	}

	private void recentRuns() {
		List<RunSummary> history = context.history() == null ? List.of() : context.history();
		int shown = Math.min(detail.recentRuns(), history.size());
		section("Recent runs, newest first (" + (shown == history.size() ? "all " + shown : shown + " of " + history.size()) + ")");
		if (history.isEmpty()) {
			out.append("(none)\n");
		}
		for (RunSummary run : history.subList(0, shown)) {
			out.append("- ").append(runLine(run, true)).append('\n');
		}
	}

	/** One run on one line: id, outcome, objective and delta, verdict, params, question, patch or error. */
	private String runLine(RunSummary run, boolean withParams) {
		StringBuilder line = new StringBuilder("run ").append(run.id());
		if (!"PROPOSAL".equals(run.kind())) {
			line.append(" (").append(run.kind() == null ? "?" : run.kind().toLowerCase()).append(')');
		}
		line.append(" · ").append(run.status());
		boolean pruned = "PRUNED".equals(run.status());
		if (run.objective() != null) {
			line.append(" · ").append(context.spec().objective().metric()).append(' ').append(Texts.number(run.objective()));
			if (pruned) {
				// Part of a curve: where the run was when it was stopped, not what it would have reached.
				line.append(" where stopped");
			}
			else if (run.delta() != null) {
				line.append(" (Δ ").append(Texts.delta(run.delta())).append(')');
			}
		}
		if (run.verdict() != null) {
			line.append(" · ").append(run.verdict());
		}
		if (withParams) {
			line.append(" · ").append(Texts.params(ordered(run.params())));
		}
		if (run.questionId() != null) {
			line.append(" · question ").append(run.questionId());
		}
		if (run.varied() != null && "PROPOSAL".equals(run.kind())) {
			line.append(" · varied ").append(run.varied().isEmpty() ? "nothing" : String.join(", ", run.varied()));
		}
		if (run.diff() != null && !run.diff().isBlank()) {
			line.append(" · with patch");
		}
		if (pruned && run.logExcerpt() != null) {
			line.append(" · stopped early by ").append(Texts.line(run.logExcerpt(), detail.textChars()));
		}
		else if (run.objective() == null && run.logExcerpt() != null) {
			line.append(" · ").append(Texts.line(Texts.failure(run.logExcerpt()), detail.textChars()));
		}
		return line.toString();
	}

	/** Parameters in the spec's order, so every line reads the same way. */
	private Map<String, Object> ordered(Map<String, Object> params) {
		if (params == null) {
			return Map.of();
		}
		Map<String, Object> ordered = new LinkedHashMap<>();
		context.spec().parameters().keySet().forEach(name -> {
			if (params.containsKey(name)) {
				ordered.put(name, params.get(name));
			}
		});
		params.keySet().stream().sorted().filter(name -> !ordered.containsKey(name))
			.forEach(name -> ordered.put(name, params.get(name)));
		return ordered;
	}

	private void topRuns() {
		List<RunSummary> top = context.topRuns() == null ? List.of() : context.topRuns();
		section("Top runs");
		if (top.isEmpty()) {
			out.append("(none)\n");
		}
		if (!detail.topRunParams()) {
			StringJoiner compact = new StringJoiner(", ");
			top.forEach(run -> compact.add("run " + run.id() + " " + Texts.number(run.objective())));
			out.append(compact.length() == 0 ? "" : compact + "\n");
			return;
		}
		top.forEach(run -> out.append("- ").append(runLine(run, true)).append('\n'));
	}

	private void deadEnds() {
		List<QuestionSummary> deadEnds = context.deadEnds() == null ? List.of() : context.deadEnds();
		section("Dead ends and refuted questions (all " + deadEnds.size() + "; do not propose these again)");
		if (deadEnds.isEmpty()) {
			out.append("(none)\n");
		}
		for (QuestionSummary question : deadEnds) {
			if (detail.compact()) {
				out.append("- q").append(question.id()).append(' ').append(question.status()).append(": ")
					.append(Texts.line(question.text(), detail.textChars())).append(" — ")
					.append(Texts.line(question.conclusion(), detail.textChars())).append('\n');
				continue;
			}
			out.append("- question ").append(question.id()).append(" · ").append(question.status()).append(" · ")
				.append(question.runs()).append(question.runs() == 1 ? " run" : " runs").append(" · ")
				.append(Texts.line(question.text(), detail.textChars())).append("\n  conclusion: ")
				.append(question.conclusion() == null ? "(none given)" : Texts.line(question.conclusion(), detail.textChars()))
				.append('\n');
		}
	}

	/** "one factor: lr", or "exploration of lr, n_embd": what the question's runs can be evidence about. */
	private static String kind(QuestionSummary question) {
		List<String> factors = question.factors() == null ? List.of() : question.factors();
		if ("ONE_FACTOR".equals(question.kind())) {
			return "one factor: " + String.join(", ", factors);
		}
		return factors.isEmpty() ? "exploration" : "exploration of " + String.join(", ", factors);
	}

	private void openQuestions() {
		List<QuestionSummary> open = context.openQuestions() == null ? List.of() : context.openQuestions();
		// The builder lists them oldest first; the newest are the ones a proposer is most likely to continue.
		List<QuestionSummary> newest = open.subList(Math.max(0, open.size() - detail.openQuestions()), open.size());
		section("Open questions (" + (newest.size() == open.size() ? "all " + open.size()
				: "newest " + newest.size() + " of " + open.size()) + ")");
		if (newest.isEmpty()) {
			out.append(open.isEmpty() ? "(none)\n" : "(left out to fit the budget)\n");
		}
		else {
			out.append("A one-factor question is answered by runs that change that factor alone; an exploration"
					+ " (several at once) is evidence about a region, never about one factor.\n");
		}
		for (QuestionSummary question : newest) {
			out.append("- question ").append(question.id()).append(" · ").append(question.runs())
				.append(question.runs() == 1 ? " run" : " runs").append(" · ").append(kind(question)).append(" · ")
				.append(Texts.line(question.text(), detail.textChars())).append('\n');
		}
	}

	private void vetoes() {
		List<Decision> vetoes = context.vetoes() == null ? List.of() : context.vetoes();
		section("Vetoed and rejected proposals (" + vetoes.size() + "; their reasons stand)");
		if (vetoes.isEmpty()) {
			out.append("(none)\n");
		}
		for (Decision veto : vetoes) {
			String change = Texts.line(Texts.params(ordered(veto.params()))
					+ (veto.patch() == null || veto.patch().isBlank() ? "" : " + patch"), detail.textChars());
			String reason = Texts.line(veto.reason() == null ? "(no reason given)" : veto.reason(), detail.textChars());
			if (detail.compact()) {
				out.append("- p").append(veto.proposalId()).append(' ').append(veto.status()).append(": ").append(reason)
					.append(" [").append(change).append("]\n");
				continue;
			}
			out.append("- proposal ").append(veto.proposalId()).append(" · ").append(veto.status()).append(" · ")
				.append(change);
			if (veto.question() != null) {
				out.append(" · question: ").append(Texts.line(veto.question(), detail.textChars()));
			}
			out.append("\n  reason: ").append(reason).append('\n');
		}
	}

	private void crashes() {
		List<RunSummary> crashes = context.crashes() == null ? List.of() : context.crashes();
		section("Recent crashes (" + crashes.size() + ")");
		if (crashes.isEmpty()) {
			out.append("(none)\n");
		}
		for (RunSummary crash : crashes) {
			String excerpt = crash.logExcerpt() == null ? "" : crash.logExcerpt().strip();
			List<String> lines = excerpt.lines().toList();
			out.append("- run ").append(crash.id()).append(" · ").append(crash.status()).append(" · ")
				.append(Texts.params(ordered(crash.params()))).append('\n');
			if (detail.crashLines() == 0 || lines.isEmpty()) {
				out.append("  ").append(Texts.line(Texts.failure(excerpt), detail.textChars())).append('\n');
				continue;
			}
			List<String> tail = lines.subList(Math.max(0, lines.size() - detail.crashLines()), lines.size());
			out.append("```\n");
			tail.forEach(text -> out.append(Texts.cut(text, 300)).append('\n'));
			out.append("```\n");
		}
	}

	private void budget() {
		section("Budget");
		out.append("Runs left: ").append(context.runsLeft() == null ? "no limit" : context.runsLeft()).append(". ");
		int pending = context.pending() == null ? 0 : context.pending().size();
		out.append("Proposals waiting to run: ").append(pending).append(".\n");
	}

	private void section(String title) {
		out.append("\n## ").append(title).append('\n');
	}
}
