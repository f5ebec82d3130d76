package dev.nightshift.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the chaos test reads back after the chaos, each through the server's API or the files it keeps: runs,
 * proposals, every run's printed and stored metric points, the best branch; and the machine's processes.
 */
final class ChaosFindings {

	static final Set<String> ACTIVE = Set.of("QUEUED", "STARTING", "RUNNING");
	/** Outcomes recorded from a process's exit: every point it printed must have been read. */
	static final Set<String> EXITED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "NO_METRIC", "DIVERGED", "OOM");

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final Pattern STEP_LINE = Pattern.compile("^step=(\\d+) loss=(\\S+) grad=(\\S+)$");
	private static final Pattern VAL_LINE = Pattern.compile("^val_loss: (\\S+)$");

	private ChaosFindings() {
	}

	/** Every run of the experiment, oldest first. */
	static List<JsonNode> runs(NightshiftServer server, long experiment) throws IOException, InterruptedException {
		return all(server, "/api/experiments/" + experiment + "/runs");
	}

	/** Every proposal of the experiment, oldest first. */
	static List<JsonNode> proposals(NightshiftServer server, long experiment) throws IOException, InterruptedException {
		return all(server, "/api/experiments/" + experiment + "/proposals");
	}

	private static List<JsonNode> all(NightshiftServer server, String path) throws IOException, InterruptedException {
		List<JsonNode> items = new ArrayList<>();
		for (int page = 0;; page++) {
			JsonNode answer = server.json("GET", path + "?size=500&page=" + page, null, null);
			answer.get("items").forEach(items::add);
			if (page + 1 >= answer.get("totalPages").asInt()) {
				break;
			}
		}
		items.sort((a, b) -> Long.compare(a.get("id").asLong(), b.get("id").asLong()));
		return items;
	}

	static boolean isFinal(JsonNode run) {
		return !ACTIVE.contains(run.get("status").asString());
	}

	/** The run's proposal, or -1 for none. */
	static long proposalOf(JsonNode run) {
		JsonNode proposal = run.path("proposalId");
		return proposal.isNumber() ? proposal.asLong() : -1;
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isNull() || value.isMissingNode() ? null : value.asString();
	}

	/**
	 * One run's metric points as the program printed them (its {@code run.log} read through the API, its
	 * metrics file from the run directory) against what the server stored, keyed by name and step (the
	 * program's steps are unique per metric).
	 */
	record Points(long run, String status, boolean ranToEnd, int printed, int stored, List<String> duplicated,
			List<String> missing, List<String> unprinted, List<String> differing) {

		boolean exact() {
			return duplicated.isEmpty() && missing.isEmpty() && unprinted.isEmpty() && differing.isEmpty();
		}

		@Override
		public String toString() {
			return "run " + run + " " + status + ": printed " + printed + ", stored " + stored
					+ (duplicated.isEmpty() ? "" : ", stored twice " + duplicated)
					+ (missing.isEmpty() ? "" : ", missing " + missing)
					+ (unprinted.isEmpty() ? "" : ", never printed " + unprinted)
					+ (differing.isEmpty() ? "" : ", values differ " + differing);
		}
	}

	static Points points(NightshiftServer server, Path home, JsonNode run) throws IOException, InterruptedException {
		long id = run.get("id").asLong();
		String status = run.get("status").asString();
		Map<String, Double> printed = new LinkedHashMap<>();
		NightshiftServer.Answer log = server.get("/api/runs/" + id + "/log");
		if (log.status() == 200) {
			log.body().lines().forEach(line -> readLogLine(line, printed));
		}
		else if (log.status() != 404) {
			throw new IllegalStateException("GET /api/runs/" + id + "/log answered " + log.status() + ": " + log.body());
		}
		Path metricsFile = home.resolve("runs").resolve(Long.toString(id)).resolve("metrics.jsonl");
		if (Files.isRegularFile(metricsFile)) {
			for (String line : Files.readAllLines(metricsFile, StandardCharsets.UTF_8)) {
				if (line.endsWith("}")) {
					JsonNode point = JSON.readTree(line);
					printed.put("acc@" + point.get("step").asLong(), point.get("acc").asDouble());
				}
			}
		}
		Map<String, List<Double>> stored = new HashMap<>();
		JsonNode points = server.json("GET", "/api/runs/" + id + "/metrics", null, null);
		points.forEach(point -> stored.computeIfAbsent(key(point.get("name").asString(),
				point.path("step").isNumber() ? point.get("step").asString() : "-"), k -> new ArrayList<>())
			.add(point.get("value").asDouble()));
		List<String> duplicated = new ArrayList<>();
		List<String> unprinted = new ArrayList<>();
		List<String> differing = new ArrayList<>();
		stored.forEach((key, values) -> {
			if (values.size() > 1) {
				duplicated.add(key + " x" + values.size());
			}
			Double value = printed.get(key);
			if (value == null) {
				unprinted.add(key);
			}
			else if (values.stream().anyMatch(v -> Math.abs(v - value) > 1e-9 * Math.max(1, Math.abs(value)))) {
				differing.add(key + " printed " + value + " stored " + values);
			}
		});
		List<String> missing = EXITED.contains(status)
				? printed.keySet().stream().filter(key -> !stored.containsKey(key)).toList()
				: List.of();
		duplicated.sort(null);
		unprinted.sort(null);
		return new Points(id, status, printed.containsKey(key("val_loss", "-")), printed.size(), points.size(),
				duplicated, missing, unprinted, differing);
	}

	private static void readLogLine(String line, Map<String, Double> printed) {
		Matcher step = STEP_LINE.matcher(line.strip());
		if (step.matches()) {
			printed.put(key("loss", step.group(1)), Double.parseDouble(step.group(2)));
			printed.put(key("grad", step.group(1)), Double.parseDouble(step.group(3)));
			return;
		}
		Matcher end = VAL_LINE.matcher(line.strip());
		if (end.matches()) {
			printed.put(key("val_loss", "-"), Double.parseDouble(end.group(1)));
		}
	}

	private static String key(String name, String step) {
		return name + "@" + step;
	}

	/** Processes whose command line carries the test's marker, as {@code pid: command line}. */
	static List<String> trainingProcesses(String marker) throws IOException {
		List<String> found = new ArrayList<>();
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			for (Path entry : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
				try {
					String commandLine = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8)
						.replace('\0', ' ')
						.strip();
					if (commandLine.contains(marker)) {
						found.add(entry.getFileName() + ": " + commandLine);
					}
				}
				catch (IOException gone) {
					// The process ended while the list was read.
				}
			}
		}
		return found;
	}

	/** Kills a process left behind, by its pid (a line of {@link #trainingProcesses}). */
	static void killLeftover(String process) {
		long pid = Long.parseLong(process.substring(0, process.indexOf(':')));
		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
	}

	/** The commit of the experiment repository's {@code nightshift/best}, or null when it has none. */
	static String bestBranch(Path home, long experiment) throws IOException, InterruptedException {
		Process git = new ProcessBuilder("git", "-C", home.resolve("repos").resolve(Long.toString(experiment)).toString(),
				"rev-parse", "--verify", "--quiet", "refs/heads/nightshift/best")
			.redirectErrorStream(true)
			.start();
		String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		if (!git.waitFor(30, TimeUnit.SECONDS)) {
			git.destroyForcibly();
			throw new IllegalStateException("git rev-parse did not return");
		}
		return git.exitValue() == 0 ? output : null;
	}
}
