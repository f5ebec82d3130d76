package dev.nightshift.experiments.database;

import java.nio.file.Path;

/** Another server holds the lock on this {@code NIGHTSHIFT_HOME}. */
public class HomeInUseException extends RuntimeException {

	private final Path home;

	HomeInUseException(Path home, String holder) {
		super("Another Nightshift server is already using NIGHTSHIFT_HOME=" + home + " (" + holder + ")."
				+ " Stop that server first, or start this one with its own NIGHTSHIFT_HOME.");
		this.home = home;
	}

	public Path home() {
		return home;
	}
}
