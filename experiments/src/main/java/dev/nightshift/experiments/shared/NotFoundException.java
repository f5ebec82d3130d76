package dev.nightshift.experiments.shared;

/** Something asked for by id does not exist. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String kind, Object id) {
		super("No " + kind + " with id " + id);
	}
}
