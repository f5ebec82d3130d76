package dev.nightshift.web.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.agent.ModelCalled;
import dev.nightshift.agent.ProposalRejected;
import dev.nightshift.agent.Usage;
import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real loop (the built-in strategy, four runs of a tiny program), then {@code /actuator/prometheus} as a
 * VIEWER's monitoring would read it: the domain's series are there with the loop's numbers, and every query of the
 * Grafana dashboard in {@code docs/grafana} names a series the server exports.
 */
@WebIntegrationTest
class PrometheusMetricsTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Autowired
	ApplicationEventPublisher events;

	@TempDir
	Path dir;

	/** One line of the exposition: a series and its value. */
	record Sample(String name, Map<String, String> labels, double value) {
	}

	@Test
	void aSmallLoopShowsInTheDomainSeriesAndEveryGrafanaQueryNamesOneOfThem() throws Exception {
		String yaml = SyntheticPrograms.experiment(dir, "2 + (math.log10(lr) + 2) ** 2", 0.001);
		String name = yaml.lines().filter(l -> l.startsWith("name: ")).findFirst().orElseThrow().substring(6).strip();
		long experiment = json.readTree(mvc.perform(post("/api/experiments").with(as.admin())
			.contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString()).get("id").asLong();
		mvc.perform(post("/api/experiments/" + experiment + "/loop").with(as.reviewer())
			.contentType(MediaType.APPLICATION_JSON).content("{\"policy\": \"auto\", \"maxRuns\": 4, \"lookahead\": 1}"))
			.andExpect(status().is2xxSuccessful());
		await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode loop = call("/api/experiments/" + experiment + "/loop").get("loop");
			return loop.get("status").asString().equals("FINISHED") && runs(experiment).stream()
				.noneMatch(r -> r.get("status").asString().matches("QUEUED|STARTING|RUNNING"));
		});
		long succeeded = runs(experiment).stream().filter(r -> r.get("status").asString().equals("SUCCEEDED")).count();
		assertThat(succeeded).isGreaterThanOrEqualTo(4);

		// What the agent publishes for a call to a model and a rejected draft (the tests' server has no LLM).
		events.publishEvent(new ModelCalled("openai", "test-model", true, new Usage(1200, 300, 0.0042)));
		events.publishEvent(new ModelCalled("openai", "test-model", false, Usage.NONE));
		events.publishEvent(new ProposalRejected(experiment, "llm:test-model", List.of("duplicate", "does-not-apply")));

		// The database's gauges are read every 15 s.
		List<Sample> samples = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
			.until(this::scrape, s -> value(s, "nightshift_runs", Map.of("experiment", name, "status", "SUCCEEDED")) == succeeded
					&& value(s, "nightshift_loop_state", Map.of("experiment", name, "state", "FINISHED")) == 1);

		assertThat(value(samples, "nightshift_runs_finished_total", Map.of("experiment", name, "outcome", "SUCCEEDED")))
			.isEqualTo(succeeded);
		assertThat(value(samples, "nightshift_run_duration_seconds_count", Map.of("outcome", "SUCCEEDED")))
			.isGreaterThanOrEqualTo(succeeded);
		assertThat(value(samples, "nightshift_run_duration_seconds_sum", Map.of("outcome", "SUCCEEDED"))).isPositive();
		assertThat(value(samples, "nightshift_verdicts_total", Map.of("experiment", name, "verdict", "KEEP")))
			.as("the first successful baseline is kept").isGreaterThanOrEqualTo(1);
		assertThat(value(samples, "nightshift_slot_gap_seconds_count", Map.of())).isPositive();
		assertThat(value(samples, "nightshift_slot_gap_seconds_sum", Map.of())).isPositive();
		assertThat(samples.stream().filter(s -> s.name().equals("nightshift_proposals")
				&& s.labels().get("proposer").startsWith("strategy:") && s.labels().get("status").equals("DONE")))
			.isNotEmpty();
		assertThat(value(samples, "nightshift_slots", Map.of())).isGreaterThanOrEqualTo(1);
		assertThat(value(samples, "nightshift_slots_busy", Map.of())).isBetween(0.0, value(samples, "nightshift_slots", Map.of()));
		assertThat(value(samples, "nightshift_queue_depth", Map.of())).isGreaterThanOrEqualTo(0);
		assertThat(samples).anyMatch(s -> s.name().equals("nightshift_slot_utilization_percent"));
		assertThat(value(samples, "nightshift_model_calls_total", Map.of("model", "test-model", "outcome", "answered")))
			.isGreaterThanOrEqualTo(1);
		assertThat(value(samples, "nightshift_model_tokens_total", Map.of("model", "test-model", "direction", "input")))
			.isGreaterThanOrEqualTo(1200);
		assertThat(value(samples, "nightshift_model_cost_usd_total", Map.of("model", "test-model"))).isGreaterThan(0.004);
		assertThat(value(samples, "nightshift_proposals_rejected_total", Map.of("rule", "duplicate"))).isGreaterThanOrEqualTo(1);
		assertThat(samples).as("no series per run or proposal")
			.noneMatch(s -> s.name().startsWith("nightshift_") && (s.labels().containsKey("run") || s.labels().containsKey("run_id")));

		Set<String> exported = new TreeSet<>(samples.stream().map(Sample::name).toList());
		Set<String> queried = grafanaMetrics();
		assertThat(queried).hasSizeGreaterThan(15);
		assertThat(exported).containsAll(queried);
	}

	/** The metric names the Grafana dashboard's queries use; the file must parse as JSON. */
	private static Set<String> grafanaMetrics() throws Exception {
		JsonNode dashboard = json.readTree(Files.readString(Path.of("..", "docs", "grafana", "nightshift.json")));
		assertThat(dashboard.get("title").asString()).isNotBlank();
		Set<String> names = new TreeSet<>();
		Pattern metric = Pattern.compile("\\bnightshift_[a-z0-9_]+");
		for (JsonNode panel : dashboard.get("panels")) {
			assertThat(panel.get("targets").size()).as(panel.get("title").asString()).isPositive();
			for (JsonNode target : panel.get("targets")) {
				Matcher m = metric.matcher(target.get("expr").asString());
				while (m.find()) {
					names.add(m.group());
				}
			}
		}
		return names;
	}

	private List<Sample> scrape() throws Exception {
		String text = mvc.perform(get("/actuator/prometheus").with(as.viewer()))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		List<Sample> samples = new ArrayList<>();
		for (String line : text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
			Matcher m = SAMPLE.matcher(line);
			if (m.find()) {
				Map<String, String> labels = new HashMap<>();
				if (m.group(3) != null) {
					Matcher l = LABEL.matcher(m.group(3));
					while (l.find()) {
						labels.put(l.group(1), l.group(2));
					}
				}
				samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
			}
		}
		return samples;
	}

	/** The sum of the series of {@code name} whose labels include {@code labels}. */
	private static double value(List<Sample> samples, String name, Map<String, String> labels) {
		return samples.stream()
			.filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
			.mapToDouble(Sample::value)
			.sum();
	}

	private List<JsonNode> runs(long experiment) throws Exception {
		List<JsonNode> runs = new ArrayList<>();
		call("/api/experiments/" + experiment + "/runs?size=500").get("items").forEach(runs::add);
		return runs;
	}

	private JsonNode call(String path) throws Exception {
		return json.readTree(mvc.perform(get(path).with(as.reviewer())).andReturn().getResponse().getContentAsString());
	}
}
