package dev.nightshift.agent.context;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.Decision;
import dev.nightshift.agent.ResearchContext.PendingProposal;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.Budget;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.Objective;
import dev.nightshift.experiments.spec.ParameterSpec;

/** Object mother for digest tests: a micro-gpt-like experiment with as many runs, dead ends and vetoes as asked. */
final class Contexts {

	static final long BEST_RUN = 17;

	private Contexts() {
	}

	static ExperimentSpec spec() {
		Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
		parameters.put("lr", new FloatParameter(1e-4, 3e-2, true, 3e-3));
		parameters.put("n_embd", new IntParameter(8, 64, false, 16));
		parameters.put("act", new ChoiceParameter(List.of("tanh", "relu"), "tanh"));
		return new ExperimentSpec("micro-gpt", null, "python3 train.py", List.of("train.py"),
				new Objective("val_loss", Goal.MINIMIZE), new Budget(Duration.ofMinutes(2)), parameters, null, null,
				"Lower val_loss. Prefer simple changes. Do not change the evaluation.");
	}

	/** Run {@code id}; ids above 1 are proposals, 1 is the baseline; every seventh failed with a log. */
	static RunSummary run(long id) {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("lr", 0.001 + id * 1e-6);
		params.put("n_embd", 8 + id % 57);
		params.put("act", id % 2 == 0 ? "relu" : "tanh");
		boolean failed = id % 7 == 0 && id != BEST_RUN;
		Double objective = failed ? null : id == BEST_RUN ? 1.5 : 2.0 + (id % 13) / 100.0;
		return new RunSummary(id, id == 1 ? null : id + 1000, id == 1 ? null : 5000 + id % 40,
				id == 1 ? "BASELINE" : "PROPOSAL", failed ? "FAILED" : "SUCCEEDED", params, objective,
				objective == null ? null : objective - 2.05, failed ? null : id == BEST_RUN ? "KEEP" : "DISCARD",
				id == BEST_RUN ? patch(40) : null, failed ? "exited with code 1; log ends with:\n" + log(id, 20) : null,
				Instant.parse("2026-01-01T00:00:00Z").plusSeconds(id * 60));
	}

	static String patch(int lines) {
		StringBuilder patch = new StringBuilder("--- a/train.py\n+++ b/train.py\n@@ -1,40 +1,40 @@\n");
		for (int i = 0; i < lines; i++) {
			patch.append("-x").append(i).append(" = old_value_").append(i).append('\n');
			patch.append("+x").append(i).append(" = new_value_").append(i).append('\n');
		}
		return patch.toString();
	}

	static String log(long run, int lines) {
		StringBuilder log = new StringBuilder();
		for (int i = 1; i <= lines; i++) {
			log.append("run ").append(run).append(" step ").append(i * 100).append(" loss 2.1").append(i).append('\n');
		}
		return log.append("RuntimeError: CUDA error: device-side assert triggered (run ").append(run).append(')').toString();
	}

	static QuestionSummary deadEnd(long id) {
		return new QuestionSummary(id, null, "Does changing knob " + id + " lower val_loss when the warmup is longer?",
				id % 2 == 0 ? "DEAD_END" : "REFUTED", "Conclusion " + id + ": three runs, no change beyond noise.", 3);
	}

	static Decision veto(long id) {
		return new Decision(id, id % 3 == 0 ? "REJECTED" : "VETOED", Map.of("lr", 0.02), null,
				"Is a high learning rate stable?", "Reason " + id + ": too close to the divergence seen in run 12.");
	}

	/**
	 * A context with runs {@code runs..1} (newest first), the best run 17, {@code deadEnds} dead ends, {@code vetoes}
	 * vetoes, the five newest failures as crashes, and three open questions.
	 */
	static ResearchContext context(int runs, int deadEnds, int vetoes) {
		List<RunSummary> history = new ArrayList<>();
		List<RunSummary> crashes = new ArrayList<>();
		for (long id = runs; id >= 1; id--) {
			RunSummary run = run(id);
			history.add(run);
			if (run.objective() == null && crashes.size() < 5) {
				crashes.add(new RunSummary(id, run.proposalId(), run.questionId(), run.kind(), run.status(), run.params(),
						null, null, null, null, "exited with code 1; log ends with:\n" + log(id, 29), run.finishedAt()));
			}
		}
		List<QuestionSummary> dead = new ArrayList<>();
		for (long id = 1; id <= deadEnds; id++) {
			dead.add(deadEnd(100 + id));
		}
		List<Decision> decisions = new ArrayList<>();
		for (long id = vetoes; id >= 1; id--) {
			decisions.add(veto(700 + id));
		}
		List<QuestionSummary> open = List.of(new QuestionSummary(301, null, "Does a wider model help?", "OPEN", null, 1),
				new QuestionSummary(302, 301L, "Does n_embd 48 help with relu?", "OPEN", null, 0),
				new QuestionSummary(303, null, "Is gelu better than relu?", "OPEN", null, 2));
		List<RunSummary> top = List.of(run(BEST_RUN), run(12), run(25), run(38), run(51));
		return new ResearchContext(1, spec(), run(BEST_RUN), run(1), history, top, dead, open, decisions, crashes,
				List.of(new PendingProposal(900, "APPROVED", Map.of("lr", 0.004), null)), 40, 7);
	}
}
