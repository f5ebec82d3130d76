package dev.nightshift.scheduler.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code git} command line with a fixed identity and none of the machine's configuration, so the
 * same import and the same patch give the same result on every server, whatever {@code ~/.gitconfig} or
 * {@code /etc/gitconfig} say (a global {@code commit.gpgsign=true} or an LFS filter would otherwise leak in).
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

	/** @param home what git sees as {@code HOME}; nothing is written there */
	Git(Path home) {
		this.home = home;
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
		try {
			Process process = builder.start();
			// stderr and stdin get their own threads: git may fill one pipe while we wait on another.
			ByteSink err = ByteSink.start(process.getErrorStream());
			Thread feeder = new Thread(() -> feed(process.getOutputStream(), stdin), "git-stdin");
			feeder.setDaemon(true);
			feeder.start();
			byte[] out;
			try (InputStream stream = process.getInputStream()) {
				out = stream.readAllBytes();
			}
			int exitCode = process.waitFor();
			feeder.join();
			return new Result(exitCode, out, new String(err.bytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run git in " + dir, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WorkspaceException("Interrupted while running git in " + dir);
		}
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

		private ByteSink(InputStream stream) {
			super("git-stderr");
			this.stream = stream;
			setDaemon(true);
		}

		static ByteSink start(InputStream stream) {
			ByteSink sink = new ByteSink(stream);
			sink.start();
			return sink;
		}

		@Override
		public void run() {
			try (stream) {
				bytes = stream.readAllBytes();
			}
			catch (IOException ex) {
				bytes = ("(cannot read git's error output: " + ex.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
			}
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
