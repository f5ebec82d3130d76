package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What is running on the machine, read from {@code /proc} independently of the code under test, so that "nothing is
 * left" is checked by other means than those that did the killing.
 */
final class LiveProcesses {

	private LiveProcesses() {}

	/** The cookie the supervisor gave the run in {@code runDir}. */
	static String cookieOf(Path runDir) {
		Properties launch = new Properties();
		try (Reader reader = Files.newBufferedReader(runDir.resolve("launch.properties"))) {
			launch.load(reader);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return launch.getProperty("cookie");
	}

	/** The live (not zombie) processes whose environment holds the run's cookie. */
	static List<Long> ofRun(Path runDir) {
		String entry = "NIGHTSHIFT_RUN_COOKIE=" + cookieOf(runDir);
		return withEnvironmentEntry(entry);
	}

	static List<Long> withEnvironmentEntry(String entry) {
		List<Long> found = new ArrayList<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			processes.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
				if (isLive(p) && environment(p).contains(entry)) {
					found.add(Long.parseLong(p.getFileName().toString()));
				}
			});
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return found;
	}

	/** The session id of each of {@code pids} that is still there. */
	static List<Long> sessionsOf(List<Long> pids) {
		List<Long> sessions = new ArrayList<>();
		for (long pid : pids) {
			String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
			if (!stat.isEmpty()) {
				sessions.add(Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]));
			}
		}
		return sessions;
	}

	static boolean isLive(long pid) {
		return isLive(Path.of("/proc", Long.toString(pid)));
	}

	private static boolean isLive(Path proc) {
		String stat = read(proc.resolve("stat"));
		return !stat.isEmpty() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
	}

	private static List<String> environment(Path proc) {
		return List.of(read(proc.resolve("environ")).split("\0"));
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.ISO_8859_1);
		} catch (IOException | RuntimeException gone) {
			return "";
		}
	}
}
