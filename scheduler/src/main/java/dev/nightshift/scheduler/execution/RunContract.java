package dev.nightshift.scheduler.execution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.nightshift.experiments.run.RunId;

/**
 * The environment a training command sees (SPEC section 3), built from nothing but what the run needs:
 * no variable of the server (API keys, database passwords) ever reaches it.
 */
final class RunContract {

	static final String PARAMS_FILE = "params.json";
	static final String METRICS_FILE = "metrics.jsonl";
	static final String OUT_DIR = "out";
	static final String HOME_DIR = "home";

	private RunContract() {
	}

	static Map<String, String> environment(RunId run, Map<String, Object> params, Path runDir, Duration budget,
			String cudaVisibleDevices) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
		env.put("HOME", runDir.resolve(HOME_DIR).toString());
		env.put("LANG", "C.UTF-8");
		// Progress lines should reach the log as they are printed, not when Python's buffer fills.
		env.put("PYTHONUNBUFFERED", "1");
		params.forEach((name, value) -> env.put(name.toUpperCase(Locale.ROOT), String.valueOf(value)));
		env.put("NIGHTSHIFT_PARAMS", runDir.resolve(PARAMS_FILE).toString());
		env.put("NIGHTSHIFT_RUN_ID", Long.toString(run.value()));
		env.put("NIGHTSHIFT_TIME_BUDGET_S", Long.toString(budget.toSeconds()));
		env.put("NIGHTSHIFT_OUT", runDir.resolve(OUT_DIR).toString());
		env.put("NIGHTSHIFT_METRICS", runDir.resolve(METRICS_FILE).toString());
		env.put("CUDA_VISIBLE_DEVICES", cudaVisibleDevices);
		return env;
	}
}
