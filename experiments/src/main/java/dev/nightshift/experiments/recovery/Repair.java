package dev.nightshift.experiments.recovery;

/**
 * One kind of stuck state and its repair, found in the database as a crash or a failed listener would leave it
 * (an APPROVED proposal without a run, a SUCCEEDED run without its verdict, ...). Each module contributes the
 * repairs of what it owns; the {@link Reconciler} runs them all.
 */
public interface Repair {

	/** What it repairs, in a few words, for the log: "approved proposals without a run". */
	String name();

	/**
	 * Repairs every case it finds and returns how many; idempotent: a second call right after finds nothing.
	 * Safe to run while the events that normally do the same work are being handled.
	 */
	int repair();
}
