package dev.nightshift.web.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.loop.StopConditions;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.testsupport.TestDatabase;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The debug step and the hybrid proposer end to end: the whole server with real training processes, and an LLM
 * researcher talking to a local server in OpenAI's wire format that answers proposals, fixes and reflections from
 * the text of each request. A patch with an obvious typo crashes; the model is shown the end of its log and the
 * patch, answers the fix, the fix runs as a child of the crashed proposal and is kept; the TPE then tunes around the
 * kept commit before the model's next idea. The server runs on a database of its own, as its proposer is an LLM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "nightshift.agent.provider=openai", "nightshift.agent.model=debug-model",
				"nightshift.agent.max-retries=0", "nightshift.loop.strategy=hybrid",
				"nightshift.agent.hybrid.tuning-runs=" + DebugStepTest.TUNING_RUNS,
				// No question closes as a dead end by counting runs here: the depth limit alone must stop debugging.
				"nightshift.loop.dead-end-runs=50" })
@ContextConfiguration(initializers = DebugStepTest.OwnDatabaseAndWire.class)
@AutoConfigureMockMvc
@Import(TestAccounts.class)
@ExtendWith(BrowserExtension.class)
class DebugStepTest {

	static final int TUNING_RUNS = 2;

	static final WireMockServer wire = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	static final JsonMapper json = JsonMapper.builder().build();

	static final String TRAIN = """
			import math, os
			lr = float(os.environ["LR"])
			bonus = 0.0
			print("---")
			print("val_loss: %.6f" % (2 + (math.log10(lr) + 2) ** 2 - bonus))
			""";

	static final String TYPO = patch("prnt(\"bonus\", bonus)");

	static final String FIX = patch("print(\"bonus\", bonus)");

	static final String SECOND_TYPO = patch("print(\"bonus\", bonuss)");

	static final String THIRD_TYPO = patch("print(\"bonus\" bonus)");

	@Autowired
	RegisterExperiment register;

	@Autowired
	LoopControl control;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@TempDir
	Path dir;

	Experiment experiment;

	@BeforeEach
	void setUp() throws IOException {
		wire.resetAll();
		Path source = Files.createDirectories(dir.resolve("program"));
		Files.writeString(source.resolve("train.py"), TRAIN);
		experiment = register.register(new ExperimentSpecParser().parseYaml("""
				name: debug-%s
				source: %s
				command: /usr/bin/python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 1m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				noise: {replicates: 2, min_delta: 0.01}
				brief: Lower val_loss.
				""".formatted(UUID.randomUUID().toString().substring(0, 8), source)), "human:test");
		// Reflections keep every question open.
		wire.stubFor(post(anyUrl()).atPriority(2).withRequestBody(containing("The run to judge"))
			.willReturn(openAi("{\"questionId\": 1, \"status\": \"OPEN\", \"conclusion\": \"more runs needed\"}")));
	}

	@AfterEach
	void stopLoops() {
		for (Loop loop : control.allActive()) {
			control.stop(loop.experimentId(), "human:test", "test over");
		}
	}

	@AfterAll
	static void stopWire() {
		wire.stop();
	}

	@Test
	void aCrashedPatchIsShownToTheModelWhoseFixRunsAsItsChildAndTheTpeThenTunesAroundTheKeptFix(Browser browser)
			throws Exception {
		serveProposals(proposal(TYPO, null, "Does a bonus lower val_loss?"), proposal(null, 0.01, "Does lr 0.01 help?"),
				proposal(null, 0.02, "Does lr 0.02 help?"));
		wire.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing("The crash to debug"))
			.willReturn(openAi(fix(FIX, "prnt is a typo of print"))));
		// Baseline twice, the typo, its fix, the tuning runs, the model's next idea.
		int runs = 2 + 1 + 1 + TUNING_RUNS + 1;
		start(runs);

		await().atMost(Duration.ofMinutes(4)).until(() -> loopEnded() && activeRuns() == 0);
		assertThat(jdbc.queryForObject("select count(*) from run where experiment_id = ?", Integer.class,
				experiment.id().value())).isEqualTo(runs);
		List<Map<String, Object>> made = jdbc.queryForList("""
				select p.id, p.proposer, p.parent_id, p.question_id, p.patch is not null as patched,
				       r.status, r.verdict, r.commit_sha
				from proposal p left join run r on r.proposal_id = p.id and r.kind = 'PROPOSAL'
				where p.experiment_id = ? and not p.baseline order by p.id""", experiment.id().value());
		assertThat(made).extracting(row -> row.get("proposer")).containsExactly("llm:debug-model", "llm:debug-model",
				"strategy:tpe", "strategy:tpe", "llm:debug-model");
		Map<String, Object> typo = made.get(0);
		Map<String, Object> fix = made.get(1);
		assertThat(typo.get("status")).isEqualTo("FAILED");
		assertThat(fix.get("parent_id")).isEqualTo(typo.get("id"));
		assertThat(fix.get("question_id")).isEqualTo(typo.get("question_id"));
		assertThat(fix.get("status")).isEqualTo("SUCCEEDED");
		assertThat(fix.get("verdict")).isEqualTo("KEEP");
		assertThat(made.subList(2, 4)).allSatisfy(tuning -> {
			assertThat(tuning.get("patched")).isEqualTo(false);
			assertThat(tuning.get("commit_sha")).isEqualTo(fix.get("commit_sha"));
		});

		List<LoggedRequest> debugRequests = requests("The crash to debug");
		assertThat(debugRequests).hasSize(1);
		assertThat(told(debugRequests.get(0))).contains("NameError: name 'prnt' is not defined", "+prnt(\"bonus\", bonus)",
				"Proposal #" + typo.get("id"));

		JsonNode parent = api("/api/proposals/" + typo.get("id"));
		assertThat(parent.get("parentId").isNull()).isTrue();
		assertThat(parent.get("children")).hasSize(1);
		assertThat(parent.get("children").get(0).get("id").asLong()).isEqualTo(fix.get("id"));
		assertThat(parent.get("children").get(0).get("runStatus").asString()).isEqualTo("SUCCEEDED");
		assertThat(api("/api/proposals/" + fix.get("id")).get("parentId").asLong()).isEqualTo(typo.get("id"));

		browser.signInAsAdmin().open("/proposals/" + typo.get("id"));
		assertThat(browser.text("#debug-tree .debug-child")).contains("Fixed by", "proposal #" + fix.get("id"),
				"SUCCEEDED", "KEEP");
		browser.screenshot("debug-tree-crashed");
		browser.open("/proposals/" + fix.get("id"));
		assertThat(browser.text("#debug-parent")).contains("Fixes the crash of", "proposal #" + typo.get("id"), "FAILED");
		assertThat(browser.has("#debug-tree .debug-child")).isFalse();
	}

	@Test
	void fixesGoTwoLevelsDeepAndAThirdIsNeverAskedFor() {
		serveProposals(proposal(TYPO, null, "Does a bonus lower val_loss?"), proposal(null, 0.01, "Does lr 0.01 help?"),
				proposal(null, 0.02, "Does lr 0.02 help?"), proposal(null, 0.005, "Does lr 0.005 help?"));
		wire.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing("The crash to debug"))
			.willReturn(openAi(fix(SECOND_TYPO, "prnt is a typo of print"))));
		wire.stubFor(post(anyUrl()).atPriority(0).withRequestBody(containing("The crash to debug"))
			.withRequestBody(containing("already a fix of an earlier crash"))
			.willReturn(openAi(fix(THIRD_TYPO, "bonuss is a typo of bonus"))));
		start(20);

		// The fix of the fix crashes too; the step after it asks for a new idea instead of a third fix.
		await().atMost(Duration.ofMinutes(4)).until(() -> requests("Propose ").size() >= 2);
		List<Map<String, Object>> tree = jdbc.queryForList("""
				select p.id, p.parent_id, p.debug_asked_at, r.status
				from proposal p join run r on r.proposal_id = p.id
				where p.experiment_id = ? and p.patch is not null order by p.id""", experiment.id().value());
		assertThat(tree).hasSize(3);
		assertThat(tree).extracting(row -> row.get("status")).containsOnly("FAILED");
		assertThat(tree.get(1).get("parent_id")).isEqualTo(tree.get(0).get("id"));
		assertThat(tree.get(2).get("parent_id")).isEqualTo(tree.get(1).get("id"));
		assertThat(tree.get(2).get("debug_asked_at")).isNull();
		assertThat(requests("The crash to debug")).hasSize(2);
		assertThat(told(requests("The crash to debug").get(1))).contains("+print(\"bonus\", bonuss)",
				"name 'bonuss' is not defined");
	}

	private void start(int maxRuns) {
		control.start(new LoopControl.Start(experiment.id(), ApprovalPolicy.AUTO,
				new StopConditions(null, maxRuns, null, null), 0), "human:test");
	}

	private int activeRuns() {
		return jdbc.queryForObject("""
				select count(*) from run where experiment_id = ? and status in ('QUEUED', 'STARTING', 'RUNNING')""",
				Integer.class, experiment.id().value());
	}

	private boolean loopEnded() {
		return control.allActive().stream().noneMatch(loop -> loop.experimentId().equals(experiment.id()));
	}

	/** What the model was told in a request: its messages' text. */
	private static String told(LoggedRequest request) {
		StringBuilder text = new StringBuilder();
		json.readTree(request.getBodyAsString()).get("messages").forEach(m -> text.append(m.get("content").asString()));
		return text.toString();
	}

	private JsonNode api(String path) throws Exception {
		return json.readTree(mvc.perform(get(path).with(as.viewer()))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString());
	}

	/** This test's requests whose body holds {@code text}, oldest first. */
	private List<LoggedRequest> requests(String text) {
		return wire.findAll(postRequestedFor(anyUrl()).withRequestBody(containing(text))
			.withRequestBody(containing(experiment.name())));
	}

	/** The model's answers to requests for proposals, one after the other. */
	private static void serveProposals(String... answers) {
		for (int i = 0; i < answers.length; i++) {
			wire.stubFor(post(anyUrl()).atPriority(3).withRequestBody(containing("Propose ")).inScenario("proposals")
				.whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i)
				.willReturn(openAi(answers[i]))
				.willSetStateTo("answer-" + (i + 1)));
		}
	}

	/** A change of {@code train.py}: a bonus of 0.5, and a line after it that may hold a typo. */
	private static String patch(String line) {
		return """
				--- a/train.py
				+++ b/train.py
				@@ -2,3 +2,4 @@
				 lr = float(os.environ["LR"])
				-bonus = 0.0
				+bonus = 0.5
				+%s
				 print("---")
				""".formatted(line);
	}

	private static String proposal(String patch, Double lr, String question) {
		ObjectNode answer = json.createObjectNode();
		ObjectNode proposal = answer.putArray("proposals").addObject().putNull("questionId").put("question", question)
			.put("kind", patch == null ? "params" : "patch")
			.put("rationale", "worth a run")
			.putNull("expectedEffect");
		ObjectNode params = proposal.putObject("params");
		if (lr != null) {
			params.put("lr", lr);
		}
		if (patch == null) {
			proposal.putNull("patch");
		}
		else {
			proposal.put("patch", patch);
		}
		return answer.toString();
	}

	private static String fix(String patch, String diagnosis) {
		return json.createObjectNode().put("diagnosis", diagnosis).put("patch", patch)
			.put("rationale", "the same idea without the typo").put("expectedEffect", "val_loss 0.5 lower")
			.toString();
	}

	private static ResponseDefinitionBuilder openAi(String content) {
		ObjectNode body = json.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
			.put("created", 1735689600).put("model", "debug-model");
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
		choice.putObject("message").put("role", "assistant").put("content", content);
		body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
	}

	/** A database of its own, a fresh home, the researcher pointed at the local server. */
	static class OwnDatabaseAndWire implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			if (!wire.isRunning()) {
				wire.start();
			}
			TestDatabase.Connection db = TestDatabase.another();
			try {
				context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("debug-step-test",
						Map.of("spring.datasource.url", db.url(), "spring.datasource.username", db.username(),
								"spring.datasource.password", db.password(), "nightshift.home",
								Files.createTempDirectory("nightshift-debug-home").toString(),
								"nightshift.sources.allowed-roots", System.getProperty("java.io.tmpdir"),
								"nightshift.agent.base-url", "http://127.0.0.1:" + wire.port() + "/v1")));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}
}
