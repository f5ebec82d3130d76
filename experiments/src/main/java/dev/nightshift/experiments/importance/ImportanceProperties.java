package dev.nightshift.experiments.importance;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the parameter importance estimate.
 *
 * @param maxRuns the newest successful runs an estimate is built on, at most (default 1000): the cost of one
 *                estimate grows with it, and it is what keeps a history of 100,000 runs cheap
 * @param trees   trees in the random forest (default 64, as Optuna's fANOVA evaluator); more give steadier
 *                numbers at a proportional cost
 */
@ConfigurationProperties("nightshift.importance")
public record ImportanceProperties(Integer maxRuns, Integer trees) {

	public ImportanceProperties {
		maxRuns = maxRuns == null ? 1000 : maxRuns;
		trees = trees == null ? 64 : trees;
		if (maxRuns < 2) {
			throw new IllegalArgumentException("nightshift.importance.max-runs must be at least 2, was " + maxRuns);
		}
		if (trees < 1) {
			throw new IllegalArgumentException("nightshift.importance.trees must be at least 1, was " + trees);
		}
	}
}
