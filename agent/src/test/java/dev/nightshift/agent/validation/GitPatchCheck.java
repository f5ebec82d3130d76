package dev.nightshift.agent.validation;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.proposal.PatchCheck;
import org.springframework.stereotype.Component;

/**
 * The patch port for the agent's tests: real {@code git apply --check} in a repository per experiment holding the
 * files a test gives it (the scheduler's adapter on the managed repositories is tested in the scheduler). Unified
 * diffs only. A plain component, so every integration test of the module shares it and one Spring context.
 */
@Component
public class GitPatchCheck implements PatchCheck {

	private final Map<Long, Path> repositories = new ConcurrentHashMap<>();

	/** Gives the experiment a git repository holding {@code files}, committed. */
	public void code(ExperimentId experiment, Map<String, String> files) {
		try {
			Path repo = Files.createTempDirectory("nightshift-agent-code");
			for (Map.Entry<String, String> file : files.entrySet()) {
				Path path = repo.resolve(file.getKey());
				Files.createDirectories(path.getParent());
				Files.writeString(path, file.getValue());
			}
			git(repo, null, "init", "--quiet");
			git(repo, null, "add", "--all");
			git(repo, null, "commit", "--quiet", "-m", "code");
			repositories.put(experiment.value(), repo);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public List<String> touchedFiles(ExperimentId experiment, String baseCommit, String patch) {
		Path repo = repositories.get(experiment.value());
		if (repo == null) {
			throw new InvalidPatchException("experiment " + experiment + " has no code");
		}
		Result check = git(repo, patch, "apply", "--check", "-");
		if (check.exit() != 0) {
			throw new InvalidPatchException(check.output().strip());
		}
		List<String> files = new ArrayList<>();
		for (String line : git(repo, patch, "apply", "--numstat", "-").output().lines().toList()) {
			String[] columns = line.split("\t");
			if (columns.length == 3) {
				files.add(columns[2]);
			}
		}
		return files;
	}

	private record Result(int exit, String output) {
	}

	private static Result git(Path dir, String input, String... args) {
		List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@localhost",
				"-c", "commit.gpgsign=false"));
		command.addAll(List.of(args));
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
			builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
			builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
			Process process = builder.start();
			try (OutputStream stdin = process.getOutputStream()) {
				if (input != null) {
					stdin.write(input.getBytes(StandardCharsets.UTF_8));
				}
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("git " + String.join(" ", args) + " did not finish");
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
