package dev.nightshift.scheduler.dispatch;

import java.util.List;

import dev.nightshift.experiments.run.RunId;

/**
 * Prepares, while the slots are busy, what can be prepared of the queued runs that come next, so that a slot
 * that frees only has to spawn its next run.
 */
public interface RunPrefetch {

	/**
	 * Asks for the given queued runs, next first, to be prepared in the background; returns at once. Runs
	 * prepared earlier and no longer named are kept for their claim, or cleaned up once they have ended unstarted.
	 */
	void prepareAhead(List<RunId> next);
}
