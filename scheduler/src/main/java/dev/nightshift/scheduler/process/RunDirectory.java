package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The files of one run in its run directory; they are what a restarted server reads to find out what happened.
 * <ul>
 * <li>{@code launch.properties}: start time, budget, grace, objective, metrics file and cookie, written before the
 * process starts</li>
 * <li>{@code launch.sh}: the wrapper (see {@link LaunchScript})</li>
 * <li>{@code pid}: the wrapper's process id, written by the wrapper</li>
 * <li>{@code run.log}: everything the command printed, stdout and stderr</li>
 * <li>{@code exit}: the command's exit status, written by the wrapper when it ends, atomically</li>
 * <li>{@code stop}: {@code timeout} or {@code cancel}, written before the server first signals the run</li>
 * </ul>
 */
final class RunDirectory {

	static final String LAUNCH = "launch.properties";
	static final String SCRIPT = "launch.sh";
	static final String PID = "pid";
	static final String LOG = "run.log";
	static final String EXIT = "exit";
	static final String STOP = "stop";

	/** Why the server stopped a run. */
	enum StopReason {
		TIMEOUT, CANCEL
	}

	/** What the server recorded about a run when it launched it. */
	record Launch(Instant started, Duration budget, Duration grace, String objectiveMetric, Path metricsFile,
			String cookie) {

		Instant deadline() {
			return started.plus(budget);
		}
	}

	private final Path dir;

	RunDirectory(Path dir) {
		this.dir = dir.toAbsolutePath().normalize();
	}

	Path path() {
		return dir;
	}

	Path file(String name) {
		return dir.resolve(name);
	}

	/** Whether a process was ever launched here: a run directory is used once. */
	boolean used() {
		return List.of(LAUNCH, PID, EXIT, LOG).stream().anyMatch(name -> Files.exists(file(name)));
	}

	void writeLaunch(Launch launch) throws IOException {
		Properties properties = new Properties();
		properties.setProperty("started", Long.toString(launch.started().toEpochMilli()));
		properties.setProperty("budget.ms", Long.toString(launch.budget().toMillis()));
		properties.setProperty("grace.ms", Long.toString(launch.grace().toMillis()));
		properties.setProperty("objective", launch.objectiveMetric());
		properties.setProperty("metrics.file", launch.metricsFile() == null ? "" : launch.metricsFile().toString());
		properties.setProperty("cookie", launch.cookie());
		Path temporary = file(LAUNCH + ".tmp");
		try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
			properties.store(writer, "Nightshift run launch; read back after a server restart");
		}
		Files.move(temporary, file(LAUNCH), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/** The launch record; empty when the server never got as far as launching. */
	Optional<Launch> readLaunch() throws IOException {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file(LAUNCH), StandardCharsets.UTF_8)) {
			properties.load(reader);
		} catch (NoSuchFileException never) {
			return Optional.empty();
		}
		String metricsFile = properties.getProperty("metrics.file", "");
		return Optional.of(new Launch(Instant.ofEpochMilli(Long.parseLong(properties.getProperty("started"))),
				Duration.ofMillis(Long.parseLong(properties.getProperty("budget.ms"))),
				Duration.ofMillis(Long.parseLong(properties.getProperty("grace.ms"))),
				properties.getProperty("objective"), metricsFile.isEmpty() ? null : Path.of(metricsFile),
				properties.getProperty("cookie")));
	}

	OptionalLong pid() {
		return readNumber(PID).map(OptionalLong::of).orElseGet(OptionalLong::empty);
	}

	/** The exit status the wrapper recorded; empty while the command runs, or when the wrapper itself was killed. */
	Optional<Integer> exitStatus() {
		return readNumber(EXIT).map(Long::intValue);
	}

	Optional<StopReason> stopReason() {
		try {
			return Optional.of(StopReason.valueOf(Files.readString(file(STOP)).strip()));
		} catch (NoSuchFileException notStopped) {
			return Optional.empty();
		} catch (IOException | IllegalArgumentException unreadable) {
			throw new IllegalStateException("unreadable " + file(STOP), unreadable);
		}
	}

	void recordStop(StopReason reason) {
		try {
			Path temporary = file(STOP + ".tmp");
			Files.writeString(temporary, reason.name() + "\n");
			Files.move(temporary, file(STOP), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} catch (IOException unwritable) {
			throw new UncheckedIOException(unwritable);
		}
	}

	private Optional<Long> readNumber(String name) {
		try {
			String text = Files.readString(file(name)).strip();
			return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
		} catch (NoSuchFileException absent) {
			return Optional.empty();
		} catch (IOException | NumberFormatException unreadable) {
			// Both files are written to a temporary name and moved into place, so a torn read means tampering.
			throw new IllegalStateException("unreadable " + file(name), unreadable);
		}
	}
}
