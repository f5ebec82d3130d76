package dev.nightshift.agent.strategy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.ResearchContext.Decision;
import dev.nightshift.agent.ResearchContext.PendingProposal;
import dev.nightshift.agent.ResearchContext.QuestionSummary;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.Budget;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.Objective;
import dev.nightshift.experiments.spec.ParameterSpec;

/** Object mother for strategy tests: specs, runs, contexts, and a loop that lets a strategy optimise a function. */
final class Strategies {

	private Strategies() {
	}

	static ExperimentSpec spec(Goal goal, Map<String, ParameterSpec> parameters) {
		return new ExperimentSpec("test", null, "python3 train.py", List.of(), new Objective("loss", goal),
				new Budget(Duration.ofMinutes(1)), parameters, null, null, "Lower the loss.");
	}

	/** Two floats on [-5, 5], default 0. */
	static ExperimentSpec square(Goal goal) {
		Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
		parameters.put("x", new FloatParameter(-5, 5, false, 0));
		parameters.put("y", new FloatParameter(-5, 5, false, 0));
		return spec(goal, parameters);
	}

	static RunSummary run(long id, Map<String, Object> params, Double objective) {
		return new RunSummary(id, id, null, "PROPOSAL", objective == null ? "FAILED" : "SUCCEEDED", params, objective,
				null, null, null, null, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(id));
	}

	/** A context with the given history (newest first); the best is the best run in it. */
	static ResearchContext context(ExperimentSpec spec, List<RunSummary> history, long seed) {
		return context(spec, history, List.of(), List.of(), List.of(), seed);
	}

	static ResearchContext context(ExperimentSpec spec, List<RunSummary> history, List<PendingProposal> pending,
			List<Decision> vetoes, List<QuestionSummary> deadEnds, long seed) {
		return new ResearchContext(1, spec, best(spec, history), null, history, List.of(), deadEnds, List.of(), vetoes,
				List.of(), pending, null, seed);
	}

	static RunSummary best(ExperimentSpec spec, List<RunSummary> history) {
		RunSummary best = null;
		boolean maximize = spec.objective().goal() == Goal.MAXIMIZE;
		for (RunSummary run : history) {
			if (run.objective() != null && (best == null
					|| (maximize ? run.objective() > best.objective() : run.objective() < best.objective()))) {
				best = run;
			}
		}
		return best;
	}

	/**
	 * Lets a proposer pick {@code trials} runs one at a time on {@code f}, each call with the same seed, and
	 * returns the objective of every run in order.
	 */
	static List<Double> optimise(Proposer proposer, ExperimentSpec spec, ToDoubleFunction<Map<String, Object>> f,
			int trials, long seed) {
		List<RunSummary> history = new ArrayList<>();
		List<Double> objectives = new ArrayList<>();
		for (int i = 0; i < trials; i++) {
			List<ProposalDraft> drafts = proposer.propose(context(spec, history, seed), 1);
			if (drafts.isEmpty()) {
				break;
			}
			double objective = f.applyAsDouble(drafts.get(0).params());
			objectives.add(objective);
			history.add(0, run(i + 1, drafts.get(0).params(), objective));
		}
		return objectives;
	}

	static double number(Map<String, Object> params, String name) {
		return ((Number) params.get(name)).doubleValue();
	}
}
