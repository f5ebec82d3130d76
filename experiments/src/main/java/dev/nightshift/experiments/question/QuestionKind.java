package dev.nightshift.experiments.question;

import java.util.List;

/**
 * What a question's runs can say. A run is evidence about a factor only in proportion to what it isolates: a
 * change of one factor counts fully, a change of several at once maps a region and says nothing about any one
 * of them.
 */
public enum QuestionKind {

	/** It varies exactly one factor (a parameter, or {@code code} for a patch): its one-factor runs answer it. */
	ONE_FACTOR,
	/** It varies several factors at once (or none known): never a dead end for a factor, answered only by a KEEP. */
	EXPLORATION;

	/** ONE_FACTOR for exactly one factor, EXPLORATION otherwise. */
	public static QuestionKind of(List<String> factors) {
		return factors.size() == 1 ? ONE_FACTOR : EXPLORATION;
	}
}
