package dev.nightshift.scheduler.sandbox;

/** A run must be sandboxed but bubblewrap is not installed; the message says how to fix it. */
public class SandboxUnavailableException extends RuntimeException {

	public SandboxUnavailableException(String message) {
		super(message);
	}
}
