package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what Linux's {@code /proc} says about processes. Every read may fail because the process just ended or
 * belongs to someone else; such a process is simply not seen.
 */
final class ProcFs {

	private static final Path PROC = Path.of("/proc");

	/** The fields of {@code /proc/<pid>/stat} that matter here. */
	record Stat(char state, long parent, long processGroup, long session) {

		/** A zombie has ended and only waits for its parent to collect it; it holds no resources worth a signal. */
		boolean ended() {
			return state == 'Z' || state == 'X' || state == 'x';
		}
	}

	private ProcFs() {}

	/** The ids of all processes visible now. */
	static List<Long> pids() {
		List<Long> pids = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
					pids.add(Long.parseLong(name));
				}
			}
		} catch (IOException unreadable) {
			throw new IllegalStateException("cannot list /proc; process supervision needs Linux", unreadable);
		}
		return pids;
	}

	static Optional<Stat> stat(long pid) {
		String text;
		try {
			text = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.ISO_8859_1);
		} catch (IOException | RuntimeException gone) {
			return Optional.empty();
		}
		// The command name in parentheses may itself contain spaces and parentheses: fields start after the last ')'.
		int close = text.lastIndexOf(')');
		if (close < 0) {
			return Optional.empty();
		}
		String[] fields = text.substring(close + 2).split(" ");
		if (fields.length < 4) {
			return Optional.empty();
		}
		return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
				Long.parseLong(fields[3])));
	}

	/** Whether the process exists and has not ended (a zombie has ended). */
	static boolean isRunning(long pid) {
		return stat(pid).map(stat -> !stat.ended()).orElse(false);
	}

	/** Whether the process's initial environment holds exactly {@code entry} ({@code NAME=value}). */
	static boolean environmentContains(long pid, byte[] entry) {
		byte[] environment;
		try {
			environment = Files.readAllBytes(PROC.resolve(pid + "/environ"));
		} catch (IOException | RuntimeException unreadable) {
			return false;
		}
		// Entries are separated by NUL bytes; match a whole entry, not a suffix of a longer one.
		int start = 0;
		for (int i = 0; i <= environment.length; i++) {
			if (i == environment.length || environment[i] == 0) {
				if (i - start == entry.length && regionEquals(environment, start, entry)) {
					return true;
				}
				start = i + 1;
			}
		}
		return false;
	}

	/** The process's arguments, the program first; empty when unreadable. */
	static List<String> arguments(long pid) {
		try {
			String text = new String(Files.readAllBytes(PROC.resolve(pid + "/cmdline")), StandardCharsets.UTF_8);
			return text.isEmpty() ? List.of() : List.of(text.split("\0"));
		} catch (IOException | RuntimeException unreadable) {
			return List.of();
		}
	}

	/**
	 * CPU time the process has used so far, user and system, in clock ticks ({@code utime + stime} of
	 * {@code /proc/<pid>/stat}); empty when it is gone.
	 */
	static Optional<Long> cpuTicks(long pid) {
		try {
			String text = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.ISO_8859_1);
			String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
			// After the command name: state is field 3 of the man page, utime 14 and stime 15.
			return Optional.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
		} catch (IOException | RuntimeException gone) {
			return Optional.empty();
		}
	}

	/** The process's resident memory in bytes ({@code VmRSS} of {@code /proc/<pid>/status}); 0 when unknown. */
	static long residentBytes(long pid) {
		try {
			for (String line : Files.readAllLines(PROC.resolve(pid + "/status"), StandardCharsets.ISO_8859_1)) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
				}
			}
		} catch (IOException | RuntimeException gone) {
			// ended meanwhile, or a kernel thread without memory of its own
		}
		return 0;
	}

	private static boolean regionEquals(byte[] haystack, int from, byte[] needle) {
		for (int i = 0; i < needle.length; i++) {
			if (haystack[from + i] != needle[i]) {
				return false;
			}
		}
		return true;
	}
}
