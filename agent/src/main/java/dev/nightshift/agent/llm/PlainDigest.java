package dev.nightshift.agent.llm;

import java.util.Map;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;

/**
 * A minimal digest, used until a richer renderer is wired in: the brief and the search space always, then the
 * best run, dead ends, vetoes, open questions, pending proposals, recent runs and crashes, each section cut off
 * where the budget (about four characters a token) runs out.
 */
final class PlainDigest implements DigestText {

	@Override
	public String render(ResearchContext context, int tokenBudget) {
		Budget out = new Budget(tokenBudget * 4L);
		ExperimentSpec spec = context.spec();
		out.line("# Experiment " + spec.name());
		out.line("Objective: " + spec.objective().goal().name().toLowerCase() + " " + spec.objective().metric());
		if (!spec.brief().isBlank()) {
			out.line("Brief: " + clip(spec.brief().strip(), 2000));
		}
		out.line("Editable files: " + (spec.editable().isEmpty() ? "none" : String.join(", ", spec.editable())));
		out.line("Search space:");
		spec.parameters().forEach((name, parameter) -> out.line("- " + name + ": " + describe(parameter)));
		if (context.runsLeft() != null) {
			out.line("Runs left tonight: " + context.runsLeft());
		}
		if (context.best() != null) {
			out.section("Best run so far");
			out.line(run(context.best()));
			if (context.best().diff() != null) {
				out.line("its patch:\n" + clip(context.best().diff(), 3000));
			}
		}
		out.section("Dead ends (never again)");
		context.deadEnds().forEach(q -> out.line("- #" + q.id() + " " + q.status() + ": " + q.text() + " — "
				+ (q.conclusion() == null ? "" : clip(q.conclusion(), 300))));
		out.section("Vetoed and rejected proposals, with reasons");
		context.vetoes().forEach(d -> out.line("- " + d.status() + " params=" + d.params()
				+ (d.patch() == null ? "" : " (with a patch)") + (d.question() == null ? "" : " question: " + d.question())
				+ " — reason: " + clip(String.valueOf(d.reason()), 300)));
		out.section("Open questions");
		context.openQuestions().forEach(q -> out.line("- #" + q.id() + " (" + q.runs() + " runs): " + q.text()
				+ (q.conclusion() == null ? "" : " — " + clip(q.conclusion(), 200))));
		out.section("Pending proposals (not run yet)");
		context.pending().forEach(p -> out.line("- " + p.status() + " params=" + p.params()
				+ (p.patch() == null ? "" : " (with a patch)")));
		out.section("Recent runs, newest first");
		context.history().forEach(r -> out.line("- " + run(r)));
		out.section("Recent crashes");
		context.crashes().forEach(r -> out.line("- " + run(r)
				+ (r.logExcerpt() == null ? "" : "\n  end of log: " + clip(r.logExcerpt(), 600))));
		return out.text();
	}

	private static String run(RunSummary run) {
		StringBuilder text = new StringBuilder("run #").append(run.id()).append(' ').append(run.status());
		if (run.objective() != null) {
			text.append(" objective=").append(run.objective());
		}
		if (run.delta() != null) {
			text.append(" delta=").append(run.delta());
		}
		if (run.verdict() != null) {
			text.append(' ').append(run.verdict());
		}
		if (run.questionId() != null) {
			text.append(" question #").append(run.questionId());
		}
		text.append(" params=").append(run.params() == null ? Map.of() : run.params());
		if (run.diff() != null) {
			text.append(" (with a patch)");
		}
		return text.toString();
	}

	private static String describe(ParameterSpec parameter) {
		if (parameter instanceof FloatParameter p) {
			return "float in [" + p.min() + ", " + p.max() + "]" + (p.log() ? " log" : "") + ", default " + p.defaultValue();
		}
		if (parameter instanceof IntParameter p) {
			return "int in [" + p.min() + ", " + p.max() + "]" + (p.log() ? " log" : "") + ", default " + p.defaultValue();
		}
		ChoiceParameter p = (ChoiceParameter) parameter;
		return "one of " + p.values() + ", default " + p.defaultValue();
	}

	/** {@code text} cut to {@code max} characters, saying so. */
	static String clip(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max) + " … (cut)";
	}

	/** Text that stops growing at its budget; a section's heading is written only when a line follows it. */
	private static final class Budget {

		private final StringBuilder text = new StringBuilder();

		private final long maxChars;

		private String heading;

		private boolean full;

		Budget(long maxChars) {
			this.maxChars = maxChars;
		}

		void section(String title) {
			heading = "\n## " + title;
		}

		void line(String line) {
			String next = (heading == null ? "" : heading + "\n") + line + "\n";
			if (full || text.length() + next.length() > maxChars) {
				if (!full) {
					text.append("… (digest cut at its token budget)\n");
				}
				full = true;
				return;
			}
			text.append(next);
			heading = null;
		}

		String text() {
			return text.toString();
		}
	}
}
