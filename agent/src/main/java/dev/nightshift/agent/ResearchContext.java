package dev.nightshift.agent;

import java.util.List;

import dev.nightshift.experiments.importance.Importance;
import dev.nightshift.experiments.spec.ExperimentSpec;

/**
 * Everything a proposer is told about an experiment, built fresh from the database for each call (SPEC
 * section 5). Structured, so strategies can fit a model to {@link #history()}; the LLM gets it rendered as text
 * within a token budget.
 *
 * @param experimentId the experiment
 * @param spec         its specification: brief, search space, objective, editable files
 * @param best         the best run so far, with its diff, or null before any success
 * @param baseline     the baseline run, or null
 * @param history      finished runs that carry an objective or an outcome, newest first; strategies fit on
 *                     these (may be a bounded sample of a long history, always holding the newest and the best)
 * @param topRuns      the best few runs
 * @param deadEnds     questions closed as DEAD_END or REFUTED, with conclusions; never to be tried again
 * @param openQuestions questions still open
 * @param vetoes       vetoed and rejected proposals, with their reasons
 * @param crashes      recent failed runs with the end of their log
 * @param pending      proposals made but not yet run (proposed, approved, scheduled), so nobody proposes them twice
 * @param runsLeft     runs the loop may still start, or null without a limit
 * @param seed         a seed for anything random, so a strategy is reproducible
 * @param importance   which parameters matter, from the successful runs, with how far to trust it; null where
 *                     no one estimated it (a context made by hand)
 */
public record ResearchContext(long experimentId, ExperimentSpec spec, RunSummary best, RunSummary baseline,
		List<RunSummary> history, List<RunSummary> topRuns, List<QuestionSummary> deadEnds,
		List<QuestionSummary> openQuestions, List<Decision> vetoes, List<RunSummary> crashes,
		List<PendingProposal> pending, Integer runsLeft, long seed, Importance importance) {

	/** A context without a parameter importance estimate. */
	public ResearchContext(long experimentId, ExperimentSpec spec, RunSummary best, RunSummary baseline,
			List<RunSummary> history, List<RunSummary> topRuns, List<QuestionSummary> deadEnds,
			List<QuestionSummary> openQuestions, List<Decision> vetoes, List<RunSummary> crashes,
			List<PendingProposal> pending, Integer runsLeft, long seed) {
		this(experimentId, spec, best, baseline, history, topRuns, deadEnds, openQuestions, vetoes, crashes, pending,
				runsLeft, seed, null);
	}

	/**
	 * A question with its status and conclusion, and what it varies: {@code kind} ONE_FACTOR (its one-factor runs
	 * answer it) or EXPLORATION (several factors at once: evidence about a region, never about one factor).
	 */
	public record QuestionSummary(long id, Long parentId, String text, String status, String conclusion, int runs,
			List<String> factors, String kind) {

		/** A question whose factors are not known. */
		public QuestionSummary(long id, Long parentId, String text, String status, String conclusion, int runs) {
			this(id, parentId, text, status, conclusion, runs, List.of(), "EXPLORATION");
		}
	}

	/** A vetoed or rejected proposal and why. */
	public record Decision(long proposalId, String status, java.util.Map<String, Object> params, String patch,
			String question, String reason) {
	}

	/** A proposal that has not run yet. */
	public record PendingProposal(long proposalId, String status, java.util.Map<String, Object> params, String patch) {
	}
}
