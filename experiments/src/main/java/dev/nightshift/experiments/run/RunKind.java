package dev.nightshift.experiments.run;

/** Why a run exists. */
public enum RunKind {
	/** The unmodified code at default parameters, to measure where we start and how noisy it is. */
	BASELINE,
	/** An approved proposal. */
	PROPOSAL,
	/** A repeat of an earlier run, to tell a real gain from noise. */
	REPLICATE
}
