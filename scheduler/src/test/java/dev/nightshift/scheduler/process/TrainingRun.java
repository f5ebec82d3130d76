package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A training program for tests: a bash or Python script written into a temporary directory, with a work directory
 * and a run directory of its own, and the launch spec that runs it.
 */
final class TrainingRun {

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private final Path root;
	private final List<String> command;
	private final Map<String, String> environment = new HashMap<>();
	private Duration budget = Duration.ofMinutes(2);
	private Duration grace = Duration.ofSeconds(1);
	private String objective = "val_loss";

	private TrainingRun(Path root, List<String> command) {
		this.root = root;
		this.command = command;
		environment.put("PATH", System.getenv("PATH"));
	}

	/** A run of {@code body} as a bash script. */
	static TrainingRun bash(Path temp, String body) {
		return script(temp, "train.sh", body, "bash");
	}

	/** A run of {@code body} with Debian's Python, which has no extra packages and needs none here. */
	static TrainingRun python(Path temp, String body) {
		return script(temp, "train.py", body, "/usr/bin/python3");
	}

	private static TrainingRun script(Path temp, String name, String body, String interpreter) {
		Path root = temp.resolve("run-" + COUNTER.incrementAndGet());
		try {
			Files.createDirectories(root.resolve("work"));
			Path script = Files.writeString(root.resolve("work").resolve(name), body);
			return new TrainingRun(root, List.of(interpreter, script.toString()));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	TrainingRun budget(Duration value) {
		budget = value;
		return this;
	}

	TrainingRun grace(Duration value) {
		grace = value;
		return this;
	}

	TrainingRun env(String name, String value) {
		environment.put(name, value);
		return this;
	}

	TrainingRun objective(String metric) {
		objective = metric;
		return this;
	}

	/** A file the script can wait for ({@code $GO}) and the test creates when it wants the script to go on. */
	TrainingRun withGoFile() {
		return env("GO", root.resolve("go").toString());
	}

	void go() throws IOException {
		Files.createFile(root.resolve("go"));
	}

	Path runDir() {
		return root.resolve("rundir");
	}

	LaunchSpec spec() {
		return new LaunchSpec(command, root.resolve("work"), runDir(), environment, budget, grace, objective);
	}
}
