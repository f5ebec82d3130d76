package dev.nightshift.scheduler.workspace;

/** A git operation on a managed repository or a run's checkout failed; the message quotes git. */
public class WorkspaceException extends RuntimeException {

	public WorkspaceException(String message) {
		super(message);
	}
}
