package dev.nightshift.scheduler.workspace;

import java.nio.file.Path;

/**
 * A run's checkout: the working directory its command starts in, the commit it holds (base plus patch) and
 * the branch {@code nightshift/run-<runId>} that keeps that commit after the checkout is removed.
 *
 * @param dir {@code runsDir/<runId>/work}, a git worktree of the experiment's managed repository
 * @param commit the full id of the commit checked out in {@code dir}
 * @param branch the branch pointing at {@code commit}
 */
public record RunWorkspace(Path dir, String commit, String branch) {

	/** The run's directory, {@code runsDir/<runId>}, which holds the checkout and the run's own files. */
	public Path runDir() {
		return dir.getParent();
	}
}
