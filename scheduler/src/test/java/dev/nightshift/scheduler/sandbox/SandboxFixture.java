package dev.nightshift.scheduler.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A NIGHTSHIFT_HOME-like folder under the module's {@code target} (a read-only place inside the sandbox, unlike
 * {@code /tmp}, which the sandbox replaces), with a run directory in it, and a way to start a sandboxed
 * command the way the server would: from a process whose own environment holds a secret.
 */
final class SandboxFixture implements AutoCloseable {

	/** What the server's own environment holds and no run may see. */
	static final Map<String, String> SERVER_ENVIRONMENT = Map.of("OPENAI_API_KEY", "secret",
			"NIGHTSHIFT_ADMIN_PASSWORD", "hunter2");

	/** What the run contract gives the command. */
	static final Map<String, String> RUN_ENVIRONMENT = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin",
			"NIGHTSHIFT_RUN_ID", "7", "LR", "0.003");

	final Path home;
	final Path runDir;
	final Path workDir;
	final Path outDir;

	/**
	 * The run directory belongs to the server, as the executor leaves it; only {@code work} and {@code out} in it
	 * are handed to the sandbox's user.
	 */
	SandboxFixture() {
		this(Path.of("target", "sandbox-tests", UUID.randomUUID().toString()).toAbsolutePath());
	}

	/** The same, with the home at {@code home}: a run directory may lie anywhere, under {@code /tmp} too. */
	SandboxFixture(Path home) {
		this.home = home;
		runDir = home.resolve("runs/7");
		workDir = runDir.resolve("work");
		outDir = runDir.resolve("out");
		createDirectories(workDir);
		createDirectories(outDir);
		SandboxUser.handOver(workDir, outDir);
	}

	/** The folders the sandbox may write. */
	List<Path> writable() {
		return List.of(workDir, outDir);
	}

	/** The sandboxed command line, as the executor builds it, for {@code command}. */
	List<String> wrap(Bubblewrap bubblewrap, List<String> command, List<String> devices) {
		return bubblewrap.wrap(command, runDir, writable(), workDir, devices, RUN_ENVIRONMENT);
	}

	record Outcome(int exitCode, String output) {
	}

	/** Runs bash {@code script} in the sandbox and waits for it to end. */
	Outcome sandboxed(Bubblewrap bubblewrap, String script) {
		return run(wrap(bubblewrap, List.of("/bin/bash", "-c", script), List.of()));
	}

	/** Runs bash {@code script} as a plain process, the control that shows a sandboxed failure is the sandbox's. */
	Outcome plain(String script) {
		return run(List.of("/bin/bash", "-c", script));
	}

	Process start(List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		environment.clear();
		environment.put("PATH", "/usr/local/bin:/usr/bin:/bin");
		environment.putAll(SERVER_ENVIRONMENT);
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Outcome run(List<String> command) {
		Process process = start(command);
		try {
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended within a minute: %s", output).isTrue();
			return new Outcome(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static Bubblewrap bubblewrap(Path... extraHidden) {
		return new Bubblewrap(List.of(extraHidden), List.of());
	}

	static Path createDirectories(Path dir) {
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void write(Path file, String content) {
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		List<Path> paths = new ArrayList<>();
		Files.walkFileTree(home, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
				paths.add(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException failure) {
				paths.add(dir);
				return FileVisitResult.CONTINUE;
			}
		});
		for (Path path : paths) {
			Files.delete(path);
		}
	}
}
