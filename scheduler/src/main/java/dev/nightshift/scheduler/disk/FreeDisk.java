package dev.nightshift.scheduler.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.nightshift.experiments.database.NightshiftHome;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * How much space is free on the file system of the Nightshift home, against {@code nightshift.health.min-free-disk}
 * (default 1GB). The threshold is read at each look, so a changed property source takes effect without a restart.
 */
@Component
public class FreeDisk {

	/** The threshold when none is set. */
	public static final DataSize DEFAULT_MINIMUM = DataSize.ofGigabytes(1);

	private final Path home;
	private final Environment environment;

	FreeDisk(NightshiftHome home, Environment environment) {
		this.home = home.home();
		this.environment = environment;
	}

	/**
	 * @param path      the folder looked at
	 * @param freeBytes bytes this process may still write there; -1 when the file system could not be read
	 * @param minimum   the threshold
	 */
	public record Reading(Path path, long freeBytes, DataSize minimum) {

		/** Whether there is less free space than the threshold, or no telling. */
		public boolean low() {
			return freeBytes < minimum.toBytes();
		}

		/** One sentence for logs and health details. */
		public String describe() {
			return freeBytes < 0 ? "the file system of " + path + " could not be read"
					: DataSize.ofBytes(freeBytes).toMegabytes() + "MB free under " + path + ", "
							+ (low() ? "below" : "above") + " the minimum of " + minimum.toMegabytes() + "MB";
		}
	}

	/** Looks at the file system now. */
	public Reading read() {
		DataSize minimum = Binder.get(environment)
			.bind("nightshift.health.min-free-disk", DataSize.class)
			.orElse(DEFAULT_MINIMUM);
		Path existing = home;
		// The home may not exist yet on a first start: its nearest existing parent lies on the same file system.
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		try {
			return new Reading(home, existing == null ? -1 : Files.getFileStore(existing).getUsableSpace(), minimum);
		}
		catch (IOException ex) {
			return new Reading(home, -1, minimum);
		}
	}
}
