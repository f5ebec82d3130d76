package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * <li>{@code stop}: {@code TIMEOUT}, {@code CANCEL} or {@code PRUNE} on its first line, written before the server
 * first signals the run; for {@code PRUNE} the pruning rule's reason follows on the next line</li>
 * </ul>
 * The directory belongs to the server and a sandboxed run cannot write in it; still, every file here is read
 * without following links and written through a temporary file created exclusively, so that not even a run
 * with the server's rights can make the server read or overwrite another file by planting a link.
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
		TIMEOUT, CANCEL, PRUNE
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
		return List.of(LAUNCH, PID, EXIT, LOG).stream()
			.anyMatch(name -> Files.exists(file(name), LinkOption.NOFOLLOW_LINKS));
	}

	void writeLaunch(Launch launch) throws IOException {
		Properties properties = new Properties();
		properties.setProperty("started", Long.toString(launch.started().toEpochMilli()));
		properties.setProperty("budget.ms", Long.toString(launch.budget().toMillis()));
		properties.setProperty("grace.ms", Long.toString(launch.grace().toMillis()));
		properties.setProperty("objective", launch.objectiveMetric());
		properties.setProperty("metrics.file", launch.metricsFile() == null ? "" : launch.metricsFile().toString());
		properties.setProperty("cookie", launch.cookie());
		StringWriter text = new StringWriter();
		properties.store(text, "Nightshift run launch; read back after a server restart");
		writeAtomically(LAUNCH, text.toString());
	}

	/** The launch record; empty when the server never got as far as launching. */
	Optional<Launch> readLaunch() throws IOException {
		Properties properties = new Properties();
		Optional<String> text = readRegular(LAUNCH);
		if (text.isEmpty()) {
			return Optional.empty();
		}
		properties.load(new StringReader(text.get()));
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
			return readRegular(STOP).map(text -> StopReason.valueOf(text.strip().lines().findFirst().orElse("")));
		} catch (IOException | IllegalArgumentException unreadable) {
			throw new IllegalStateException("unreadable " + file(STOP), unreadable);
		}
	}

	/** What the {@code stop} file says after its first line: the pruning rule's reason; empty when nothing. */
	String stopDetail() {
		try {
			return readRegular(STOP).map(text -> text.strip().lines().skip(1).reduce((a, b) -> a + " " + b).orElse(""))
				.orElse("");
		} catch (IOException unreadable) {
			throw new IllegalStateException("unreadable " + file(STOP), unreadable);
		}
	}

	/** Records why the server stops the run, with a one-line {@code detail} (newlines become spaces). */
	void recordStop(StopReason reason, String detail) {
		try {
			String line = detail.replaceAll("[\\r\\n]+", " ").strip();
			writeAtomically(STOP, reason.name() + "\n" + (line.isEmpty() ? "" : line + "\n"));
		} catch (IOException unwritable) {
			throw new UncheckedIOException(unwritable);
		}
	}

	private Optional<Long> readNumber(String name) {
		try {
			Optional<String> text = readRegular(name).map(String::strip);
			return text.isEmpty() || text.get().isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text.get()));
		} catch (IOException | NumberFormatException unreadable) {
			// Both files are written to a temporary name and moved into place, so a torn read means tampering.
			throw new IllegalStateException("unreadable " + file(name), unreadable);
		}
	}

	/**
	 * Writes {@code content} to a fresh temporary file and renames it to {@code name}, so a reader never sees half
	 * of it. The temporary file is created exclusively ({@code O_EXCL}, which never follows a link): a link or
	 * file someone left under the temporary name is removed, not written through.
	 */
	private void writeAtomically(String name, String content) throws IOException {
		Path temporary = file(name + ".tmp");
		Files.deleteIfExists(temporary);
		try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
				LinkOption.NOFOLLOW_LINKS)) {
			out.write(content.getBytes(StandardCharsets.UTF_8));
		}
		Files.move(temporary, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * The text of a control file; empty when it does not exist. A link or anything but a regular file is refused,
	 * never followed: no file the server reads here can lead it elsewhere.
	 */
	private Optional<String> readRegular(String name) throws IOException {
		Path path = file(name);
		try {
			if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
				throw new IOException(path + " is not a regular file");
			}
			try (InputStream in = Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
				return Optional.of(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
			}
		} catch (NoSuchFileException absent) {
			return Optional.empty();
		}
	}
}
