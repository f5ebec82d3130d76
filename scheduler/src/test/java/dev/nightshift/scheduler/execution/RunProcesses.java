package dev.nightshift.scheduler.execution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds processes by a word in their command line, reading {@code /proc} as the server sees it: a run in a PID
 * namespace of its own knows its processes by other numbers, so the test marks them with a word instead.
 */
final class RunProcesses {

	private RunProcesses() {
	}

	/** The pids of live processes whose command line contains {@code word}. */
	static List<Long> withWord(String word) {
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			return entries.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
				.filter(path -> commandLine(path).contains(word))
				.map(path -> Long.parseLong(path.getFileName().toString()))
				.filter(pid -> pid != ProcessHandle.current().pid())
				.toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String commandLine(Path process) {
		try {
			return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
		}
		catch (IOException gone) {
			return "";
		}
	}
}
