package dev.nightshift.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the named benchmarks ({@code search}, {@code ingest}, {@code duty}, {@code history}, {@code pruning},
 * {@code research}, or all
 * of them), prints a table for each and writes its numbers with the machine's description to
 * {@code <results>/<name>.json}. Benchmarks measure; they never assert.
 */
public final class Bench {

	static final List<String> NAMES = List.of("search", "ingest", "duty", "history", "pruning", "research");

	/** Benchmarks that run only when named: {@code duty-model} is the model half of {@code duty} alone. */
	static final List<String> EXTRA = List.of("duty-model");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private Bench() {
	}

	/**
	 * Arguments: the benchmark names; none means all. System properties: {@code bench.dir} is the bench folder,
	 * {@code nightshift.jar} the server's Boot jar (default {@code <bench.dir>/../web/target/nightshift.jar}),
	 * {@code bench.duty.runs} the duty-cycle benchmark's number of runs (default 200).
	 */
	public static void main(String[] args) throws Exception {
		Path dir = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath();
		Path jar = Path.of(System.getProperty("nightshift.jar",
				dir.resolveSibling("web").resolve("target").resolve("nightshift.jar").toString()));
		List<String> names = args.length == 0 ? NAMES : List.of(args);
		for (String name : names) {
			Map<String, Object> result = switch (name) {
				case "search" -> new SearchBench(dir.resolve("optuna_baseline.py")).run();
				case "ingest" -> new IngestBench().run();
				case "duty" -> {
					Map<String, Object> duty = new LinkedHashMap<>(new DutyCycleBench(jar,
							Integer.getInteger("bench.duty.runs", DutyCycleBench.RUNS), DutyCycleBench.RUN_SECONDS).run());
					duty.put("with_model", modelDuty(jar));
					yield duty;
				}
				case "duty-model" -> modelDuty(jar);
				case "history" -> new HistoryBench(jar, HistoryBench.RUNS, HistoryBench.POINTS, HistoryBench.REQUESTS).run();
				case "pruning" -> new PruningBench(dir).run();
				case "research" -> new ResearchBench(jar, Integer.getInteger("bench.research.runs", ResearchBench.RUNS)).run();
				default -> throw new IllegalArgumentException("Unknown benchmark '" + name + "'; known: " + NAMES + ", " + EXTRA);
			};
			write(dir.resolve("results").resolve(name + ".json"), name, result);
		}
	}

	private static Map<String, Object> modelDuty(Path jar) throws Exception {
		return new ModelDutyBench(jar, ModelDutyBench.chosen(), ModelDutyBench.chosenVariants()).run();
	}

	private static void write(Path file, String name, Map<String, Object> result) throws IOException {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("benchmark", name);
		document.put("machine", machine());
		document.putAll(result);
		Files.createDirectories(file.getParent());
		Files.writeString(file, JSON.writeValueAsString(document) + "\n");
		System.out.println("wrote " + file);
	}

	/** Cores, memory, Java version and date, so numbers from different machines are not mixed up. */
	static Map<String, Object> machine() {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getTotalMemorySize();
		machine.put("memory_gib", Math.round(bytes / (1024.0 * 1024 * 1024) * 10) / 10.0);
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		machine.put("date", Instant.now().toString());
		// Other work on the machine skews throughput numbers; the load average says how much there was.
		machine.put("load_average", loadAverage());
		return machine;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).strip();
		}
		catch (IOException | RuntimeException e) {
			return "unknown";
		}
	}

	/** Prints rows as a table with columns padded to their widest cell. */
	static void table(String title, List<List<String>> rows) {
		int[] widths = new int[rows.get(0).size()];
		for (List<String> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		System.out.println();
		System.out.println(title);
		for (int r = 0; r < rows.size(); r++) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < widths.length; i++) {
				String cell = rows.get(r).get(i);
				line.append(i == 0 ? String.format("%-" + widths[i] + "s", cell)
						: String.format("  %" + widths[i] + "s", cell));
			}
			System.out.println(line);
			if (r == 0) {
				System.out.println("-".repeat(line.length()));
			}
		}
		System.out.println();
	}
}
