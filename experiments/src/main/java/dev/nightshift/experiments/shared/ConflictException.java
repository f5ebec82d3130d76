package dev.nightshift.experiments.shared;

/** The request is well formed but clashes with what exists (a duplicate name, a second active loop). */
public class ConflictException extends RuntimeException {

	public ConflictException(String message) {
		super(message);
	}
}
