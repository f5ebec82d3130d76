package dev.nightshift.scheduler.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs Slurm's command-line tools ({@code sbatch}, {@code squeue}, {@code scontrol}, {@code scancel}), each with a
 * time limit; their output is small and read whole. The tools, not {@code slurmrestd}, because every Slurm
 * installation has them, in every version, with the site's authentication already set up.
 */
class SlurmCommands {

	/** What a command printed and how it ended. */
	record Result(int exitCode, String out, String err) {

		boolean ok() {
			return exitCode == 0;
		}
	}

	// Reads the tools' output; daemon threads, so a hanging tool never holds the server up.
	private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors
		.newCachedThreadPool(task -> {
			Thread thread = new Thread(task, "nightshift-slurm-output");
			thread.setDaemon(true);
			return thread;
		});

	private final String binDir;
	private final Duration timeout;

	SlurmCommands(String binDir, Duration timeout) {
		this.binDir = binDir;
		this.timeout = timeout;
	}

	/**
	 * Runs {@code tool} with {@code arguments}.
	 *
	 * @throws SlurmException when it cannot be started or does not end within the time limit
	 */
	Result run(String tool, List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(binDir.isEmpty() ? tool : Path.of(binDir, tool).toString());
		command.addAll(arguments);
		Process process;
		try {
			process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			throw new SlurmException(tool + " could not be started (is Slurm's client installed here?): "
					+ ex.getMessage(), ex);
		}
		CompletableFuture<String> out = read(process.getInputStream());
		CompletableFuture<String> err = read(process.getErrorStream());
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new SlurmException(tool + " did not answer within " + timeout.toSeconds() + " s");
			}
			return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new SlurmException(tool + " was interrupted", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new SlurmException("the output of " + tool + " could not be read", ex);
		}
	}

	/** Whether {@code tool} is there to run. */
	boolean available(String tool) {
		if (!binDir.isEmpty()) {
			return Files.isExecutable(Path.of(binDir, tool));
		}
		return List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)).stream()
			.filter(dir -> !dir.isEmpty())
			.anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
	}

	private static CompletableFuture<String> read(java.io.InputStream stream) {
		return CompletableFuture.supplyAsync(() -> {
			try (stream) {
				return new String(stream.readNBytes(4 * 1024 * 1024), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}, READERS);
	}
}
