package dev.nightshift.scheduler.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.nightshift.experiments.spec.Durations;

/**
 * Runs the {@code git} command line with a fixed identity and none of the machine's configuration, so the
 * same import and the same patch give the same result on every server, whatever {@code ~/.gitconfig} or
 * {@code /etc/gitconfig} say (a global {@code commit.gpgsign=true} or an LFS filter would otherwise leak in).
 * Every command has a time-out: one that hangs (a stale lock on a network file system, a filter or editor that
 * waits) is killed with every process it started, and reported as a {@link WorkspaceException} naming it.
 */
final class Git {

	static final String AUTHOR_NAME = "Nightshift";

	static final String AUTHOR_EMAIL = "nightshift@localhost";

	/** Settings that every invocation carries on its command line, where they outrank any file. */
	private static final List<String> SETTINGS = List.of("-c", "user.name=" + AUTHOR_NAME, "-c",
			"user.email=" + AUTHOR_EMAIL, "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c",
			"core.hooksPath=/dev/null", "-c", "core.autocrlf=false", "-c", "core.fsmonitor=false", "-c",
			"init.defaultBranch=main", "-c", "advice.detachedHead=false");

	private final Path home;

	private final Duration timeout;

	/**
	 * @param home    what git sees as {@code HOME}; nothing is written there
	 * @param timeout how long one git command may take before it is killed
	 */
	Git(Path home, Duration timeout) {
		this.home = home;
		this.timeout = timeout;
	}

	/** What one git command printed and how it ended. */
	record Result(int exitCode, byte[] out, String err) {

		boolean ok() {
			return exitCode == 0;
		}

		String text() {
			return new String(out, StandardCharsets.UTF_8);
		}

		String line() {
			return text().strip();
		}
	}

	/** Runs git in {@code dir} and fails with git's message when it exits non-zero. */
	Result check(Path dir, String... args) {
		return check(dir, Map.of(), null, args);
	}

	Result check(Path dir, Map<String, String> env, byte[] stdin, String... args) {
		Result result = run(dir, env, stdin, args);
		if (!result.ok()) {
			throw new WorkspaceException("git " + String.join(" ", args) + " failed in " + dir + ": "
					+ firstLines(result.err(), 4));
		}
		return result;
	}

	/** Runs git in {@code dir} and returns whatever happened, for callers that treat failure as an answer. */
	Result run(Path dir, Map<String, String> env, byte[] stdin, String... args) {
		List<String> command = new ArrayList<>();
		command.add("git");
		command.addAll(SETTINGS);
		command.addAll(Arrays.asList(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
		Map<String, String> environment = builder.environment();
		String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
		// Start from nothing: an inherited GIT_DIR, GIT_INDEX_FILE or XDG_CONFIG_HOME would redirect git.
		environment.clear();
		environment.put("PATH", path);
		environment.put("HOME", home.toString());
		environment.put("LC_ALL", "C");
		environment.put("GIT_CONFIG_NOSYSTEM", "1");
		environment.put("GIT_CONFIG_GLOBAL", "/dev/null");
		environment.put("GIT_TERMINAL_PROMPT", "0");
		environment.putAll(env);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run git in " + dir, ex);
		}
		// Each stream gets its own thread: git may fill one pipe while we wait on another.
		ByteSink out = ByteSink.start(process.getInputStream(), "git-stdout");
		ByteSink err = ByteSink.start(process.getErrorStream(), "git-stderr");
		Thread feeder = new Thread(() -> feed(process.getOutputStream(), stdin), "git-stdin");
		feeder.setDaemon(true);
		feeder.start();
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			// The output ends with git, unless something git started keeps its end of a pipe: that too is bounded.
			if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) || !out.awaitEnd(deadline)
					|| !err.awaitEnd(deadline)) {
				killTree(process);
				throw new WorkspaceException("git " + String.join(" ", args) + " took longer than "
						+ Durations.format(timeout) + " in " + dir + " and was stopped (nightshift.scheduler.git-timeout)");
			}
			feeder.join();
			return new Result(process.exitValue(), out.bytes(), new String(err.bytes(), StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			killTree(process);
			Thread.currentThread().interrupt();
			throw new WorkspaceException("Interrupted while running git in " + dir);
		}
	}

	/** Kills git and whatever it started (a hook, an editor, a filter), children first seen before the parent dies. */
	private static void killTree(Process process) {
		List<ProcessHandle> tree = process.descendants().toList();
		process.destroyForcibly();
		tree.forEach(ProcessHandle::destroyForcibly);
	}

	private static void feed(OutputStream in, byte[] stdin) {
		try (in) {
			if (stdin != null) {
				in.write(stdin);
			}
		}
		catch (IOException closedEarly) {
			// git stopped reading because it failed early; its exit code and stderr say why.
		}
	}

	/** Collects a stream on a thread of its own. */
	private static final class ByteSink extends Thread {

		private final InputStream stream;

		private volatile byte[] bytes = new byte[0];

		private ByteSink(InputStream stream, String name) {
			super(name);
			this.stream = stream;
			setDaemon(true);
		}

		static ByteSink start(InputStream stream, String name) {
			ByteSink sink = new ByteSink(stream, name);
			sink.start();
			return sink;
		}

		@Override
		public void run() {
			try (stream) {
				bytes = stream.readAllBytes();
			}
			catch (IOException ex) {
				bytes = ("(cannot read git's output: " + ex.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
			}
		}

		/** Whether the stream ended before {@code deadline}, a {@link System#nanoTime()}. */
		boolean awaitEnd(long deadline) throws InterruptedException {
			long left = deadline - System.nanoTime();
			if (left > 0) {
				join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			}
			return !isAlive();
		}

		byte[] bytes() throws InterruptedException {
			join();
			return bytes;
		}
	}

	/** The first non-blank lines of a message, joined with "; ", for quoting git in one line. */
	static String firstLines(String text, int count) {
		return text.lines().map(String::strip).filter(line -> !line.isEmpty()).limit(count)
			.reduce((a, b) -> a + "; " + b)
			.orElse("(no message)");
	}
}
