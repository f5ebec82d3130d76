package dev.nightshift.experiments.run;

/** What a finished run means for the experiment's best (SPEC section 4); failures get none. */
public enum Verdict {
	/** Better than the best by more than the noise margin: the new best. */
	KEEP,
	/** Not better. */
	DISCARD,
	/** Better, but within the noise: a replicate decides. */
	CONFIRMING
}
