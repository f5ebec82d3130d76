package dev.nightshift.scheduler.workspace;

/**
 * A proposal's patch cannot be applied to its base commit. The message names the file and quotes the reason
 * (git's own words for a diff), so it can go back to the proposer as it is. Nothing of the patch remains
 * when this is thrown: no checkout, no branch.
 */
public class PatchRejectedException extends WorkspaceException {

	private final String file;

	private final String reason;

	public PatchRejectedException(String file, String reason) {
		super(file == null ? "Patch rejected: " + reason : "Patch rejected for " + file + ": " + reason);
		this.file = file;
		this.reason = reason;
	}

	/** The file the patch failed on, or {@code null} when the patch as a whole is unreadable. */
	public String file() {
		return file;
	}

	/** Why, without the file name in front. */
	public String reason() {
		return reason;
	}
}
