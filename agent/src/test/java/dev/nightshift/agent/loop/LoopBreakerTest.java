package dev.nightshift.agent.loop;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.loop.StopConditions;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The research loop with an LLM researcher talking to a local server in OpenAI's wire format, and a clock the
 * test moves. The application runs on a database of its own: its loop driver must not meet the loops of the
 * module's shared context, which proposes with a built-in strategy.
 */
@SpringBootTest(properties = { "nightshift.agent.provider=openai", "nightshift.agent.model=breaker-model",
		"nightshift.agent.max-retries=0", "nightshift.agent.max-calls-per-hour=" + LoopBreakerTest.CALLS_PER_HOUR,
		"nightshift.agent.input-price-per-million=2.0", "nightshift.agent.output-price-per-million=8.0",
		"nightshift.loop.breaker.max-consecutive-failures=" + LoopBreakerTest.MAX_FAILURES,
		"nightshift.loop.breaker.backoff=1m", "nightshift.loop.breaker.max-backoff=4m" })
@ContextConfiguration(initializers = LoopBreakerTest.OwnDatabaseAndWire.class)
class LoopBreakerTest {

	static final int MAX_FAILURES = 4;

	static final int CALLS_PER_HOUR = 5;

	static final String PATH = "/v1/chat/completions";

	static final WireMockServer wire = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	ResearchLoop researchLoop;

	@Autowired
	LoopControl control;

	@Autowired
	LoopRepository loops;

	@Autowired
	RegisterExperiment register;

	@Autowired
	DecideProposal decide;

	/** The breaker's clock, a bean of the application. */
	static final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ProposalAsks asks;

	Experiment experiment;

	@BeforeEach
	void setUp() {
		wire.resetAll();
		String spec = """
				name: breaker-%s
				command: python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 2m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				brief: Lower val_loss.
				""".formatted(UUID.randomUUID().toString().substring(0, 8));
		experiment = register.register(new ExperimentSpecParser().parseYaml(spec), "human:test");
	}

	@AfterEach
	void stopLoops() {
		for (Loop loop : control.allActive()) {
			// A resumed loop may be taking a step on the driver's thread: its update of the row wins, stop again.
			await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ObjectOptimisticLockingFailureException.class)
				.until(() -> {
					control.stop(loop.experimentId(), "human:test", "test over");
					return true;
				});
		}
	}

	@AfterAll
	static void stopWire() {
		wire.stop();
	}

	@Test
	void aModelThatIsAlwaysWrongIsAskedLessAndLessOftenThenTheLoopPausesItselfQuotingWhy() {
		wire.stubFor(post(urlEqualTo(PATH)).willReturn(openAi("Sure! Raise the learning rate.", 100, 10)));
		Loop loop = start(new StopConditions(null, null, null, null));

		// The driver takes the first step at once: the baseline waits for a person, the model fails once.
		await().atMost(Duration.ofSeconds(30)).until(() -> reload(loop).proposerFailures() == 1);
		settled(loop);
		for (Duration wait : List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4))) {
			Loop now = reload(loop);
			assertThat(now.proposerRestsUntil()).contains(clock.instant().plus(wait));
			researchLoop.advance(loop.id());
			assertThat(reload(loop).proposerFailures()).as("no call while it rests").isEqualTo(now.proposerFailures());
			clock.advance(wait);
			advanceAndSettle(loop);
		}

		Loop paused = reload(loop);
		assertThat(paused.status()).isEqualTo(LoopStatus.PAUSED);
		assertThat(paused.proposerFailures()).isEqualTo(MAX_FAILURES);
		assertThat(paused.stopReason()).hasValueSatisfying(reason -> assertThat(reason)
			.contains("paused by its breaker", "llm:breaker-model failed " + MAX_FAILURES + " times in a row",
					"unusable answer after one repair: not valid JSON"));
		clock.advance(Duration.ofHours(2));
		researchLoop.advance(loop.id());
		// Each failed call is one question and its one repair turn; no retries are configured.
		assertThat(proposalRequests()).isEqualTo(MAX_FAILURES * 2);

		Loop resumed = control.resume(experiment.id(), "human:test");
		assertThat(resumed.proposerFailures()).isZero();
		assertThat(resumed.stopReason()).isEmpty();
		assertThat(resumed.proposerRestsUntil()).isEmpty();
	}

	@Test
	void aModelWhoseEveryProposalFailsValidationPausesTheLoopQuotingTheRejections() {
		// Well-formed answers, each proposing a learning rate outside the search space (at most 0.03).
		wire.stubFor(post(urlEqualTo(PATH)).willReturn(openAi(proposal(0.5), 100, 10)));
		Loop loop = start(new StopConditions(null, null, null, null));

		await().atMost(Duration.ofSeconds(30)).until(() -> reload(loop).proposerFailures() == 1);
		for (int step = 0; step < 10 * MAX_FAILURES && reload(loop).status() == LoopStatus.RUNNING; step++) {
			clock.advance(Duration.ofMinutes(5));
			researchLoop.advance(loop.id());
		}

		Loop paused = reload(loop);
		assertThat(paused.status()).isEqualTo(LoopStatus.PAUSED);
		assertThat(paused.proposerFailures()).isEqualTo(MAX_FAILURES);
		assertThat(paused.stopReason()).hasValueSatisfying(reason -> assertThat(reason)
			.contains("paused by its breaker", "failed " + MAX_FAILURES + " times in a row", "last reasons: «", "lr"));
		assertThat(jdbc.queryForObject("select count(*) from proposal where experiment_id = ? and status = 'REJECTED'",
				Integer.class, experiment.id().value())).isGreaterThanOrEqualTo(MAX_FAILURES);
		int asked = proposalRequests();
		clock.advance(Duration.ofHours(2));
		researchLoop.advance(loop.id());
		assertThat(proposalRequests()).as("no call while paused").isEqualTo(asked);
	}

	@Test
	void aUsableProposalResetsTheCountOfFailures() {
		wire.stubFor(post(urlEqualTo(PATH)).inScenario("mixed").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(openAi("not json", 10, 10)).willSetStateTo("repair"));
		wire.stubFor(post(urlEqualTo(PATH)).inScenario("mixed").whenScenarioStateIs("repair")
			.willReturn(openAi("still not json", 10, 10)).willSetStateTo("good"));
		wire.stubFor(post(urlEqualTo(PATH)).inScenario("mixed").whenScenarioStateIs("good")
			.willReturn(openAi(proposal(0.01), 10, 10)));
		Loop loop = start(new StopConditions(null, null, null, null));
		await().atMost(Duration.ofSeconds(30)).until(() -> reload(loop).proposerFailures() == 1);
		// The failed call's answer is settled (no longer counted as on its way) a moment after the breaker saw it.
		settled(loop);

		clock.advance(Duration.ofMinutes(1));
		advanceAndSettle(loop);

		assertThat(reload(loop).proposerFailures()).isZero();
		assertThat(reload(loop).proposerRestsUntil()).isEmpty();
		assertThat(reload(loop).status()).isEqualTo(LoopStatus.RUNNING);
	}

	@Test
	void theHourlyCeilingStopsCallsUntilTheHourHasPassed() {
		serveProposals(CALLS_PER_HOUR + 2, 10, 10);
		Loop loop = start(new StopConditions(null, null, null, null));

		for (int call = 1; call <= CALLS_PER_HOUR; call++) {
			int expected = call;
			await().atMost(Duration.ofSeconds(30)).until(() -> proposalRequests() == expected);
			vetoWaitingModelProposal(expected);
		}
		researchLoop.advance(loop.id());
		researchLoop.advance(loop.id());

		assertThat(proposalRequests()).isEqualTo(CALLS_PER_HOUR);
		assertThat(reload(loop).status()).isEqualTo(LoopStatus.RUNNING);
		assertThat(reload(loop).callsInHour()).isEqualTo(CALLS_PER_HOUR);

		settled(loop);
		clock.advance(Duration.ofHours(1));
		advanceAndSettle(loop);
		assertThat(proposalRequests()).isEqualTo(CALLS_PER_HOUR + 1);
		assertThat(reload(loop).callsInHour()).isEqualTo(1);
	}

	@Test
	void maxTokensEndsTheLoopOnceItsProposersSpentThem() {
		serveProposals(3, 1000, 100);
		Loop loop = start(new StopConditions(null, null, null, null, null, 1500L));
		// However many proposals a step asks for, each answer spends 1,100 tokens: the second reaches the limit.
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			vetoEveryWaitingModelProposal();
			researchLoop.advance(loop.id());
			return reload(loop).status() == LoopStatus.FINISHED;
		});

		Loop finished = reload(loop);
		assertThat(finished.status()).isEqualTo(LoopStatus.FINISHED);
		assertThat(finished.stopReason()).hasValueSatisfying(r -> assertThat(r).contains("spent its 1500 tokens (2200"));
		assertThat(proposalRequests()).isEqualTo(2);
	}

	@Test
	void maxCostEndsTheLoopOnceItsProposersCostThatMuch() {
		// 1000 prompt tokens at $2 and 100 answer tokens at $8 a million: $0.0028 a call.
		serveProposals(3, 1000, 100);
		Loop loop = start(new StopConditions(null, null, null, null, 0.002, null));
		await().atMost(Duration.ofSeconds(30)).until(() -> proposalRequests() == 1);
		settled(loop);

		researchLoop.advance(loop.id());

		Loop finished = reload(loop);
		assertThat(finished.status()).isEqualTo(LoopStatus.FINISHED);
		assertThat(finished.stopReason()).hasValueSatisfying(r -> assertThat(r).contains("spent its $0.002", "$0.0028"));
		assertThat(finished.stopConditions().maxCost()).isEqualTo(0.002);
	}

	@Test
	void spendingLimitsMustBeFinitePositiveNumbers() {
		for (Double cost : new Double[] { Double.NaN, Double.POSITIVE_INFINITY, 0.0, -1.0 }) {
			assertThatThrownBy(() -> new LoopControl.Start(experiment.id(), ApprovalPolicy.MANUAL,
					new StopConditions(null, null, null, null, cost, null), 1))
				.isInstanceOf(InvalidRequestException.class)
				.hasMessageContaining("maxCost");
		}
		assertThatThrownBy(() -> new LoopControl.Start(experiment.id(), ApprovalPolicy.MANUAL,
				new StopConditions(null, null, null, null, null, 0L), 1))
			.isInstanceOf(InvalidRequestException.class)
			.hasMessageContaining("maxTokens");
	}

	@Test
	void theBreakersWaitDoublesUpToItsCap() {
		LoopProperties.Breaker breaker = new LoopProperties.Breaker(8, Duration.ofSeconds(30), Duration.ofMinutes(10));

		assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 30).stream().map(breaker::backoffAfter).toList()).containsExactly(
				Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
				Duration.ofMinutes(8), Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10));
	}

	/** A step, and the model's answer to the call it made (if any) recorded: calls run on the model executor. */
	private void advanceAndSettle(Loop loop) {
		researchLoop.advance(loop.id());
		settled(loop);
	}

	private void settled(Loop loop) {
		await().atMost(Duration.ofSeconds(30)).until(() -> asks.inFlight(loop.id()) == 0);
	}

	private Loop start(StopConditions stop) {
		return control.start(new LoopControl.Start(experiment.id(), ApprovalPolicy.MANUAL, stop, 1), "human:test");
	}

	private Loop reload(Loop loop) {
		return loops.findById(loop.id().value()).orElseThrow();
	}

	/** Requests asking for proposals (reflections ask otherwise). */
	private int proposalRequests() {
		// Only this test's experiment: a step of an earlier test's loop may still be on its way.
		return wire.findAll(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("Propose "))
			.withRequestBody(containing(experiment.name()))).size();
	}

	/** Vetoes the model's proposal that waits, so that the loop asks again; the {@code n}th one of the test. */
	private void vetoWaitingModelProposal(int n) {
		Long id = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList("""
				select id from proposal where experiment_id = ? and proposer like 'llm:%' and status = 'PROPOSED'""",
				Long.class, experiment.id().value()).stream().findFirst().orElse(null), found -> found != null);
		assertThat(jdbc.queryForObject("select count(*) from proposal where experiment_id = ? and proposer like 'llm:%'",
				Integer.class, experiment.id().value())).isEqualTo(n);
		decide.veto(new ProposalId(id), "human:test", "make room for the next one");
	}

	private void vetoEveryWaitingModelProposal() {
		jdbc.queryForList("select id from proposal where experiment_id = ? and proposer like 'llm:%' and status = 'PROPOSED'",
				Long.class, experiment.id().value())
			.forEach(id -> decide.veto(new ProposalId(id), "human:test", "make room for the next one"));
	}

	/** Valid answers, each proposing another learning rate. */
	private static void serveProposals(int count, int tokensIn, int tokensOut) {
		for (int i = 0; i < count; i++) {
			wire.stubFor(post(urlEqualTo(PATH)).inScenario("answers")
				.whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i)
				.willReturn(openAi(proposal(0.001 * (i + 2)), tokensIn, tokensOut))
				.willSetStateTo("answer-" + (i + 1)));
		}
	}

	private static String proposal(double lr) {
		ObjectNode answer = json.createObjectNode();
		answer.putArray("proposals").addObject()
			.putNull("questionId")
			.put("question", "Does lr " + lr + " lower val_loss?")
			.put("kind", "params")
			.<ObjectNode>set("params", json.createObjectNode().put("lr", lr))
			.putNull("patch")
			.put("rationale", "try another learning rate")
			.putNull("expectedEffect");
		return answer.toString();
	}

	private static ResponseDefinitionBuilder openAi(String content, int tokensIn, int tokensOut) {
		ObjectNode body = json.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
			.put("created", 1735689600).put("model", "breaker-model");
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
		choice.putObject("message").put("role", "assistant").put("content", content);
		body.putObject("usage").put("prompt_tokens", tokensIn).put("completion_tokens", tokensOut)
			.put("total_tokens", tokensIn + tokensOut);
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
	}

	/** A database of its own, a fresh home, the researcher pointed at the local server, the test's clock. */
	static class OwnDatabaseAndWire implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			if (!wire.isRunning()) {
				wire.start();
			}
			context.getBeanFactory().registerSingleton("breakerClock", clock);
			TestDatabase.Connection db = TestDatabase.another();
			try {
				context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("loop-breaker-test",
						Map.of("spring.datasource.url", db.url(), "spring.datasource.username", db.username(),
								"spring.datasource.password", db.password(), "nightshift.home",
								Files.createTempDirectory("nightshift-breaker-home").toString(),
								"nightshift.agent.base-url", "http://127.0.0.1:" + wire.port() + "/v1")));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}
}
