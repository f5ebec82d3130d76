package dev.nightshift.experiments.importance;

import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.experiment.ExperimentId;

/**
 * How much each parameter of an experiment matters, as its successful runs tell it. This is the stable answer of
 * {@link ParameterImportance}: the experiment page, the API, the LLM's digest and the dead-end rule read it.
 *
 * @param experimentId the experiment
 * @param runsUsed     successful runs the estimate is built on: the newest ones, at most the configured cap
 * @param capped       whether there were more successful runs than the cap (older ones were left out)
 * @param runsNeeded   successful runs needed before the estimate is trusted: {@code max(10, 3 × parameters)}
 * @param trustworthy  whether {@code runsUsed >= runsNeeded}; below it the numbers are a first impression only
 * @param explained    how much of the objective's variation between runs the parameters explain at all, in
 *                     {@code [0, 1]} (the forest's out-of-bag R²); near 0 the differences look like noise, or like
 *                     the code changes the parameters cannot see
 * @param note         a sentence or three for a person or an LLM: what the estimate rests on, how far to trust it
 *                     and how much of the objective's variation the parameters explain
 * @param parameters   every parameter of the spec, most important first
 */
public record Importance(ExperimentId experimentId, int runsUsed, boolean capped, int runsNeeded,
		boolean trustworthy, double explained, String note, List<ParameterEffect> parameters) {

	/** The fewest successful runs that make an estimate trustworthy, whatever the number of parameters. */
	public static final int MIN_RUNS = 10;

	/** Successful runs needed per parameter before an estimate is trustworthy. */
	public static final int RUNS_PER_PARAMETER = 3;

	public Importance {
		parameters = List.copyOf(parameters);
	}

	/**
	 * One parameter's share of what matters.
	 *
	 * @param name          the parameter
	 * @param importance    its fraction of the importance of all parameters: the fractions add up to 1, or are
	 *                      all 0 when the objective did not vary or no parameter was varied
	 * @param varianceShare the fraction of the objective's variance its main effect explains alone (functional
	 *                      ANOVA); the shares of all parameters add up to at most 1, the rest is interactions
	 * @param varied        whether the runs tried more than one value of it; an unvaried parameter gets 0, which
	 *                      says nothing about whether it matters
	 */
	public record ParameterEffect(String name, double importance, double varianceShare, boolean varied) {

		/** The importance in whole percent for people, {@code <1%} where it is above 0 but rounds to 0. */
		public String percent() {
			long whole = Math.round(importance * 100);
			return whole == 0 && importance > 0 ? "<1%" : whole + "%";
		}
	}

	/** The fewest successful runs an experiment with {@code parameters} parameters needs for a trustworthy estimate. */
	public static int runsNeeded(int parameters) {
		return Math.max(MIN_RUNS, RUNS_PER_PARAMETER * parameters);
	}

	/** The effect of the parameter called {@code name}, if the spec has one. */
	public Optional<ParameterEffect> of(String name) {
		return parameters.stream().filter(effect -> effect.name().equals(name)).findFirst();
	}
}
