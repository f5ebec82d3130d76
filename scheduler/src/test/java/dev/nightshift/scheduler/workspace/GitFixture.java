package dev.nightshift.scheduler.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Source folders, source repositories and a {@link Workspaces} in one temporary folder, plus a plain
 * {@code git} for looking at the results independently of the code under test.
 */
final class GitFixture {

	static final String TRAIN_PY = """
            import os
            lr = 0.01
            steps = 100
            print(f"val_loss: {1.0 / (lr * steps):.4f}")
            """;

	final Path root;
	final Path repositories;
	final Path runs;
	final Workspaces workspaces;

	GitFixture(Path root) {
		this.root = root;
		this.repositories = root.resolve("home/repositories");
		this.runs = root.resolve("home/runs");
		this.workspaces = new Workspaces(repositories, runs);
	}

	/** Experiment 1 imported from a plain folder holding train.py and a README. */
	String importedTrainPy() {
		workspaces.importSource(1, folder("src", Map.of("train.py", TRAIN_PY, "README.md", "# micro\n")));
		return workspaces.headCommit(1);
	}

	Path folder(String name, Map<String, String> files) {
		Path dir = root.resolve(name);
		files.forEach((path, content) -> write(dir.resolve(path), content));
		return dir;
	}

	/** A git repository with one commit per map, each writing its files. */
	@SafeVarargs
	final Path repository(String name, Map<String, String>... commits) {
		Path dir = root.resolve(name);
		git(root, "init", "--quiet", "-b", "trunk", dir.toString());
		int number = 1;
		for (Map<String, String> files : commits) {
			files.forEach((path, content) -> write(dir.resolve(path), content));
			git(dir, "add", "--all");
			git(dir, "commit", "--quiet", "-m", "commit " + number++);
		}
		return dir;
	}

	Path repo(long experimentId) {
		return repositories.resolve(Long.toString(experimentId));
	}

	/** What {@code git show <commit>:<path>} prints in experiment 1's repository. */
	String show(String commit, String path) {
		return git(repo(1), "show", commit + ":" + path);
	}

	List<String> branches() {
		return git(repo(1), "branch", "--format=%(refname:short)").lines().toList();
	}

	/** Worktree paths git knows of, besides the repository itself. */
	List<String> runWorktrees() {
		List<String> paths = new ArrayList<>();
		for (String line : git(repo(1), "worktree", "list", "--porcelain").lines().toList()) {
			if (line.startsWith("worktree ") && !line.equals("worktree " + repo(1))) {
				paths.add(line.substring("worktree ".length()));
			}
		}
		return paths;
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

	/** Runs git with a test identity and no machine configuration; fails the test when git fails. */
	static String git(Path dir, String... args) {
		List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@localhost",
				"-c", "commit.gpgsign=false"));
		command.addAll(List.of(args));
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
			builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
			builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
			Process process = builder.start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as("git %s: %s", String.join(" ", args), output).isZero();
			return output;
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
