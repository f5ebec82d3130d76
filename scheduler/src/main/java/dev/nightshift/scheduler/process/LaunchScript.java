package dev.nightshift.scheduler.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the POSIX {@code sh} wrapper that runs a training command. Started under {@code setsid}, the wrapper leads a
 * session of its own, so signals meant for the server (Ctrl-C, a hang-up) do not reach the run and the run does not
 * depend on the server's process staying alive. It records its pid, gives the command the run's cookie, appends the
 * command's stdout and stderr to {@code run.log}, and when the command ends writes its exit status ({@code 128 + n}
 * after signal n, as shells report it) to {@code exit} through a temporary file and a rename, so a reader never sees
 * half of it.
 */
final class LaunchScript {

	private static final List<Path> SYSTEM_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/bin"),
			Path.of("/usr/sbin"), Path.of("/sbin"));

	private LaunchScript() {}

	static String render(RunDirectory dir, List<String> command, String cookie, Path move) {
		String pid = quote(dir.file(RunDirectory.PID));
		String exit = quote(dir.file(RunDirectory.EXIT));
		String mv = quote(move);
		return String.join("\n",
				"#!/bin/sh",
				"# Nightshift run wrapper, written by the server. It keeps the training command running if the",
				"# server dies, and leaves behind what the server reads afterwards: pid, run.log and exit.",
				"#",
				"# A trap that runs a no-op, unlike an ignored signal, is not inherited by the command: the command",
				"# still dies of SIGTERM while this shell waits for it and records its exit status.",
				"trap ':' HUP INT TERM",
				"# Temporary files are created with noclobber (O_EXCL), which never writes through a planted link.",
				"set -C",
				writeAtomically("$$", dir.file(RunDirectory.PID + ".tmp"), pid, mv),
				"# Every process of the run inherits this, which lets the server find the ones that left the session.",
				ProcessTreeKiller.COOKIE_VARIABLE + "=" + quote(cookie),
				"export " + ProcessTreeKiller.COOKIE_VARIABLE,
				command.stream().map(LaunchScript::quote).collect(Collectors.joining(" ")) + " < /dev/null >> "
						+ quote(dir.file(RunDirectory.LOG)) + " 2>&1",
				"status=$?",
				writeAtomically("\"$status\"", dir.file(RunDirectory.EXIT + ".tmp"), exit, mv),
				"exit \"$status\"",
				"");
	}

	/** Removes a left-over temporary file (a link is removed, not followed), creates it anew and moves it into place. */
	private static String writeAtomically(String value, Path temporary, String target, String mv) {
		return quote(locate("rm")) + " -f " + quote(temporary) + " && echo " + value + " > " + quote(temporary) + " && " + mv + " -f "
				+ quote(temporary) + " " + target;
	}

	/**
	 * Finds a system program by absolute path, because the wrapper runs with the run's environment, which need not
	 * have a PATH.
	 */
	static Path locate(String program) {
		String path = System.getenv().getOrDefault("PATH", "");
		return Stream.concat(SYSTEM_DIRECTORIES.stream(),
				Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isEmpty()).map(Path::of))
			.map(directory -> directory.resolve(program))
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(program + " not found; supervising runs needs it"));
	}

	static String quote(Object word) {
		return "'" + word.toString().replace("'", "'\"'\"'") + "'";
	}
}
