package dev.nightshift.web.importer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.experiments.shared.InvalidRequestException;

/**
 * What an autoresearch-style repository says about itself: {@code program.md} is the brief; {@code train.py} is
 * the one editable file, run with {@code uv run train.py} when the repository uses uv (a {@code pyproject.toml}
 * or {@code uv.lock}, or the program says so) and {@code python3 train.py} otherwise; {@code val_bpb} is the
 * objective to minimise; the training time budget is {@code TIME_BUDGET} in {@code prepare.py} or the
 * program's "N minutes", and a run may take twice that (start-up and evaluation come on top, and autoresearch
 * itself kills a 5-minute run only past 10); {@code results.tsv} is the history.
 */
final class AutoresearchRepository {

	static final String METRIC = "val_bpb";

	/** autoresearch's own budget, when neither prepare.py nor the program names one. */
	static final Duration DEFAULT_TRAINING_BUDGET = Duration.ofMinutes(5);

	/** Most history rows read: a night of autoresearch is about a hundred. */
	static final int MAX_ROWS = 100_000;

	private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

	private static final Pattern TIME_BUDGET = Pattern.compile("(?m)^TIME_BUDGET\\s*=\\s*([0-9]+)");

	private static final Pattern PROGRAM_BUDGET = Pattern.compile(
			"(?i)(?:time budget|budget)[^0-9\\n]{0,40}([0-9]+)\\s*(?:-\\s*)?(minutes?|mins?|seconds?|secs?|hours?)\\b");

	private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{4,40}");

	/** How long one git command may take before it is killed (a hung network file system, a FIFO for a ref). */
	static final Duration GIT_TIMEOUT = Duration.ofSeconds(10);

	private final Path root;

	private final Duration gitTimeout;

	AutoresearchRepository(Path root) {
		this(root, GIT_TIMEOUT);
	}

	AutoresearchRepository(Path root, Duration gitTimeout) {
		this.root = root;
		this.gitTimeout = gitTimeout;
	}

	/** The specification as a JSON-ready tree, named {@code name}. */
	Map<String, Object> specification(String name) {
		String program = read("program.md").orElseThrow(() -> missing("program.md", "the research brief"));
		read("train.py").orElseThrow(() -> missing("train.py", "the training program the agent edits"));
		Duration training = trainingBudget(program);
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("name", name);
		spec.put("source", root.toString());
		spec.put("command", usesUv(program) ? "uv run train.py" : "python3 train.py");
		spec.put("editable", List.of("train.py"));
		spec.put("objective", Map.of("metric", METRIC, "goal", "minimize"));
		spec.put("budget", Map.of("run", training.multipliedBy(2).toSeconds() + "s"));
		spec.put("resources", Map.of("gpus", 1));
		spec.put("brief", program.strip());
		return spec;
	}

	/** The training time budget: prepare.py's TIME_BUDGET (seconds), else the program's, else 5 minutes. */
	Duration trainingBudget(String program) {
		Optional<Duration> fromPrepare = read("prepare.py").map(TIME_BUDGET::matcher).filter(Matcher::find)
			.map(m -> Duration.ofSeconds(Long.parseLong(m.group(1))));
		if (fromPrepare.isPresent() && !fromPrepare.get().isZero()) {
			return fromPrepare.get();
		}
		Matcher stated = PROGRAM_BUDGET.matcher(program);
		if (stated.find()) {
			long amount = Long.parseLong(stated.group(1));
			String unit = stated.group(2).toLowerCase(Locale.ROOT);
			Duration budget = unit.startsWith("h") ? Duration.ofHours(amount)
					: unit.startsWith("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
			if (!budget.isZero()) {
				return budget;
			}
		}
		return DEFAULT_TRAINING_BUDGET;
	}

	private boolean usesUv(String program) {
		return Files.isRegularFile(root.resolve("pyproject.toml"), LinkOption.NOFOLLOW_LINKS)
				|| Files.isRegularFile(root.resolve("uv.lock"), LinkOption.NOFOLLOW_LINKS)
				|| program.contains("uv run train.py");
	}

	/**
	 * The rows of {@code results.tsv}, oldest first; none when there is no such file.
	 * @throws InvalidRequestException naming the line of a row that is not autoresearch's
	 */
	List<HistoryRow> history() {
		Optional<String> tsv = read("results.tsv");
		if (tsv.isEmpty()) {
			return List.of();
		}
		List<String> lines = tsv.get().lines().toList();
		if (lines.isEmpty() || !lines.get(0).strip().toLowerCase(Locale.ROOT).startsWith("commit\t")) {
			throw new InvalidRequestException("results.tsv", "format",
					"the first line must be the header: commit, " + METRIC + ", memory_gb, status, description (tab-separated)");
		}
		List<HistoryRow> rows = new ArrayList<>();
		for (int i = 1; i < lines.size() && rows.size() < MAX_ROWS; i++) {
			if (!lines.get(i).isBlank()) {
				rows.add(row(lines.get(i), i + 1));
			}
		}
		return rows;
	}

	private HistoryRow row(String line, int number) {
		String[] cells = line.split("\t", 5);
		String where = "results.tsv line " + number;
		if (cells.length < 4) {
			throw new InvalidRequestException(where, "format", "has " + cells.length
					+ " tab-separated columns; commit, " + METRIC + ", memory_gb, status and description are expected");
		}
		String commit = cells[0].strip();
		String status = cells[3].strip().toLowerCase(Locale.ROOT);
		if (!List.of("keep", "discard", "crash").contains(status)) {
			throw new InvalidRequestException(where, "one-of", "status must be keep, discard or crash, got '" + cells[3] + "'");
		}
		double objective = number(cells[1], where, METRIC);
		double memory = number(cells[2], where, "memory_gb");
		String description = cells.length > 4 ? cells[4].strip() : "";
		Double value = status.equals("crash") || !Double.isFinite(objective) ? null : objective;
		return new HistoryRow(commit, COMMIT.matcher(commit).matches() ? fullCommit(commit) : null, value, memory,
				status, description.isEmpty() ? "(no description)" : description);
	}

	private static double number(String cell, String where, String column) {
		try {
			return Double.parseDouble(cell.strip());
		}
		catch (NumberFormatException ex) {
			throw new InvalidRequestException(where, "number", column + " must be a number, got '" + cell.strip() + "'");
		}
	}

	/**
	 * The full id of a commit the repository has, found with git; null when it has no such commit, no git, or git
	 * did not answer within {@link #gitTimeout} (then it is killed with whatever it started). The output is read
	 * only once git has ended: a one-line answer fits the pipe, and reading first would wait as long as git hangs.
	 */
	private String fullCommit(String commit) {
		if (!Files.exists(root.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		try {
			ProcessBuilder builder = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--verify", "--quiet",
					commit + "^{commit}")
				.redirectError(ProcessBuilder.Redirect.DISCARD);
			builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
			builder.environment().put("GIT_TERMINAL_PROMPT", "0");
			Process git = builder.start();
			git.getOutputStream().close();
			if (!git.waitFor(gitTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				List<ProcessHandle> started = git.descendants().toList();
				git.destroyForcibly();
				started.forEach(ProcessHandle::destroyForcibly);
				return null;
			}
			String out = new String(git.getInputStream().readNBytes(200), StandardCharsets.UTF_8).strip();
			return git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private Optional<String> read(String file) {
		Path path = root.resolve(file);
		// A link could point anywhere on the machine: only the repository's own files are read.
		if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
			return Optional.empty();
		}
		try {
			if (Files.size(path) > MAX_FILE_BYTES) {
				throw new InvalidRequestException(file, "too-large", file + " is over " + MAX_FILE_BYTES / 1024 / 1024 + " MB");
			}
			return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static InvalidRequestException missing(String file, String what) {
		return new InvalidRequestException("path", "autoresearch-layout",
				"the repository has no " + file + " (" + what + "); an autoresearch repository has program.md and train.py");
	}
}
