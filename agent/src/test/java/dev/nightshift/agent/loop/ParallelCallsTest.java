package dev.nightshift.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Usage;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.loop.StopConditions;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.run.RunId;
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
import org.springframework.test.context.ContextConfiguration;

/**
 * A loop driven by a model that answers only when the test opens its gate: calls run in parallel within the
 * bound, a shortfall is asked for once (calls on their way count), a loop's step never waits for the model,
 * reflections pile up into one call without holding up any proposal, a call's cost is shared by its proposals, and
 * an external loop (an agent over MCP) asks the model nothing. Nothing here measures time.
 */
@SpringBootTest(properties = { "nightshift.agent.provider=openai", "nightshift.agent.model=stand-in",
		"nightshift.agent.max-retries=0", "nightshift.agent.max-concurrency=3",
		"nightshift.agent.max-proposals-per-call=2", "nightshift.agent.input-price-per-million=1.0" })
@ContextConfiguration(initializers = ParallelCallsTest.OwnDatabaseAndModel.class)
class ParallelCallsTest {

	static final StandInProvider model = new StandInProvider();

	@Autowired
	ResearchLoop researchLoop;

	@Autowired
	Reflections reflections;

	@Autowired
	ProposalAsks asks;

	@Autowired
	ProposalPace pace;

	@Autowired
	LoopControl control;

	@Autowired
	RegisterExperiment register;

	@Autowired
	DecideProposal decide;

	@Autowired
	ProposalIntake intake;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	RunCosts runCosts;

	@Autowired
	MorningSummary summary;

	Experiment experiment;

	@BeforeEach
	void setUp() {
		String spec = """
				name: parallel-%s
				command: python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 2m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				brief: Lower val_loss.
				""".formatted(UUID.randomUUID().toString().substring(0, 8));
		experiment = register.register(new ExperimentSpecParser().parseYaml(spec), "human:test");
		model.reset(experiment.name());
	}

	@AfterEach
	void stopLoops() {
		model.release();
		for (Loop loop : control.allActive()) {
			control.stop(loop.experimentId(), "human:test", "test over");
		}
	}

	@AfterAll
	static void stopModel() {
		model.close();
	}

	@Test
	void aShortfallIsAskedForOnceInParallelCallsAndNoStepWaitsForThem() {
		model.holdProposals();
		// One slot and a lookahead of 5, the baseline waiting for a person: 5 proposals are missing.
		Loop loop = start(5);

		await().atMost(Duration.ofSeconds(30)).until(() -> model.waiting() == 3);
		assertThat(model.asked()).as("5 proposals in calls of at most 2, all at once").containsExactlyInAnyOrder(2, 2, 1);
		// A step while they are on their way returns at once and asks for nothing more.
		researchLoop.advance(loop.id());
		assertThat(asks.inFlight(loop.id())).isEqualTo(5);
		assertThat(modelProposals()).isZero();

		model.release();
		await().atMost(Duration.ofSeconds(30)).until(() -> modelProposals() == 5 && asks.inFlight(loop.id()) == 0);
		researchLoop.advance(loop.id());
		assertThat(model.asked()).hasSize(3);
		// Each call's 900 prompt tokens are shared by the proposals it made.
		assertThat(jdbc.queryForList("select tokens_in from proposal where experiment_id = ? and proposer like 'llm:%'",
				Long.class, experiment.id().value())).containsExactlyInAnyOrder(450L, 450L, 450L, 450L, 900L);
	}

	@Test
	void anExternalLoopAsksTheModelNothing() {
		Loop loop = control.start(new LoopControl.Start(experiment.id(), ApprovalPolicy.AUTO,
				new StopConditions(null, null, null, null), 3, true), "human:test");
		assertThat(loop.reflects()).as("its agent concludes its questions itself").isFalse();
		// The agent proposes over MCP, as a person would through the intake; the loop's policy approves it.
		Proposal proposed = intake.submit(experiment.id(), "mcp:agent", ProposalDraft.of(null,
				"Does a higher lr help?", Map.of("lr", 0.01), null, "try it", null, Usage.NONE));
		researchLoop.advance(loop.id());
		assertThat(jdbc.queryForObject("select status from proposal where id = ?", String.class,
				proposed.id().value())).isNotEqualTo("PROPOSED");
		long run = jdbc.queryForObject("""
				insert into run (experiment_id, proposal_id, kind, status, params, objective, verdict,
				                 queued_at, started_at, finished_at)
				values (?, ?, 'PROPOSAL', 'SUCCEEDED', '{"lr": 0.01}', 2.0, 'DISCARD', now(), now(), now())
				returning id""", Long.class, experiment.id().value(), proposed.id().value());

		assertThat(reflections.after(new RunId(run))).as("handed over for reflection").isFalse();
		researchLoop.advance(loop.id());
		assertThat(asks.inFlight(loop.id())).isZero();
		assertThat(model.received()).as("no proposal, fix or reflection asked of the model").isEmpty();
	}

	@Test
	void reflectionsPileUpIntoOneCallAndNeverHoldUpAProposal() {
		Loop loop = start(3);
		await().atMost(Duration.ofSeconds(30)).until(() -> modelProposals() == 3 && asks.inFlight(loop.id()) == 0);
		List<Long> runs = finishedRunsOfModelProposals();

		model.holdReflections();
		reflections.after(new RunId(runs.get(0)));
		await().atMost(Duration.ofSeconds(30)).until(() -> model.waiting() == 1);
		reflections.after(new RunId(runs.get(1)));
		reflections.after(new RunId(runs.get(2)));

		// A reflection is on its way, two runs wait for the next one; a proposal still goes through.
		Long waitingProposal = jdbc.queryForObject("""
				select min(id) from proposal where experiment_id = ? and proposer like 'llm:%' and status = 'PROPOSED'""",
				Long.class, experiment.id().value());
		decide.veto(new ProposalId(waitingProposal), "human:test", "make room");
		await().atMost(Duration.ofSeconds(30)).until(() -> modelProposals() == 4);
		assertThat(model.reflectionRequests()).hasSize(1);

		model.release();
		await().atMost(Duration.ofSeconds(30)).until(() -> refutedQuestions() == 3);
		assertThat(model.reflectionRequests()).as("the two runs that piled up went into one call").hasSize(2);
		assertThat(model.reflectionRequests().get(1).prompt()).contains("run #" + runs.get(1), "run #" + runs.get(2));
		// One call on two runs: its 900 prompt tokens are shared out between them.
		assertThat(jdbc.queryForList("select reflection_tokens_in from run where id in (?, ?) order by id", Long.class,
				runs.get(1), runs.get(2))).containsExactly(450L, 450L);
		assertThat(jdbc.queryForObject("select reflection_tokens_in from run where id = ?", Long.class, runs.get(0)))
			.isEqualTo(900L);
		// A run's cost: its share of the reflection (900 + 60 tokens over two runs, at $1 a million prompt tokens).
		RunCosts.Cost cost = runCosts.of(List.of(runs.get(1))).get(runs.get(1));
		assertThat(cost.reflectionTokens()).isEqualTo(480);
		assertThat(cost.reflectionUsd()).isCloseTo(0.00045, org.assertj.core.api.Assertions.within(1e-9));
		MorningSummary.Report report = summary.since(experiment, loop.startedAt(), java.time.Instant.now());
		assertThat(report.runCosts().runs()).isEqualTo(3);
		assertThat(report.runCosts().total().reflectionTokens()).isEqualTo(960 + 960);
		assertThat(report.runCosts().total().proposalTokens()).as("the calls that proposed the three runs")
			.isPositive();
	}

	@Test
	void aLoopStartedWithoutReflectionsNeverAsksForOne() {
		Loop loop = control.start(new LoopControl.Start(experiment.id(), ApprovalPolicy.MANUAL,
				new StopConditions(null, null, null, null), 1, false, false), "human:test");
		assertThat(loop.reflects()).isFalse();
		await().atMost(Duration.ofSeconds(30)).until(() -> modelProposals() == 1 && asks.inFlight(loop.id()) == 0);
		long run = finishedRunsOfModelProposals().get(0);

		assertThat(reflections.after(new RunId(run))).as("handed over for reflection").isFalse();
		assertThat(model.reflectionRequests()).isEmpty();
		assertThat(jdbc.queryForObject("select reflect from research_loop where id = ?", Boolean.class,
				loop.id().value())).isFalse();
	}

	@Test
	void runsThatStartedTogetherAreProvidedForFromTheDatabaseBeforeTheyEnd() {
		pace.observed("llm:burst", Duration.ofSeconds(10));
		// Nothing has ended yet: the eight running runs all count.
		runs("RUNNING", 8, "now() - interval '41 seconds'", null);
		assertThat(pace.lookahead(experiment.id(), "llm:burst", 8, 2)).isEqualTo(8);

		// Earlier runs took a minute: the eight started 41 s ago end within 1.5 calls of 10 s and a tick of 5 s.
		runs("SUCCEEDED", 3, "now() - interval '5 minutes'", "now() - interval '4 minutes'");
		assertThat(pace.lookahead(experiment.id(), "llm:burst", 8, 2)).isEqualTo(8);

		jdbc.update("update run set started_at = now() - interval '10 seconds' where experiment_id = ? and status = 'RUNNING'",
				experiment.id().value());
		assertThat(pace.lookahead(experiment.id(), "llm:burst", 8, 2)).as("none near its end: by the rate").isEqualTo(3);
	}

	private void runs(String status, int count, String startedAt, String finishedAt) {
		for (int i = 0; i < count; i++) {
			jdbc.update("insert into run (experiment_id, kind, status, params, queued_at, started_at, finished_at)"
					+ " values (?, 'BASELINE', ?, '{}'::jsonb, now(), " + startedAt + ", " + finishedAt + ")",
					experiment.id().value(), status);
		}
	}

	private Loop start(int lookahead) {
		return control.start(new LoopControl.Start(experiment.id(), ApprovalPolicy.MANUAL,
				new StopConditions(null, null, null, null), lookahead), "human:test");
	}

	private int modelProposals() {
		return jdbc.queryForObject("select count(*) from proposal where experiment_id = ? and proposer like 'llm:%'",
				Integer.class, experiment.id().value());
	}

	private int refutedQuestions() {
		return jdbc.queryForObject("select count(*) from question where experiment_id = ? and status = 'REFUTED'",
				Integer.class, experiment.id().value());
	}

	/** A finished run for each of the model's proposals, as the scheduler would leave it. */
	private List<Long> finishedRunsOfModelProposals() {
		return jdbc.queryForList("""
				insert into run (experiment_id, proposal_id, kind, status, params, objective, verdict,
				                 queued_at, started_at, finished_at)
				select experiment_id, id, 'PROPOSAL', 'SUCCEEDED', params, 2.0, 'DISCARD', now(), now(), now()
				from proposal where experiment_id = ? and proposer like 'llm:%' order by id
				returning id""", Long.class, experiment.id().value()).stream().sorted().toList();
	}

	/** A database of its own, a fresh home, the researcher pointed at the stand-in model. */
	static class OwnDatabaseAndModel implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestDatabase.Connection db = TestDatabase.another();
			try {
				context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("parallel-calls-test",
						Map.of("spring.datasource.url", db.url(), "spring.datasource.username", db.username(),
								"spring.datasource.password", db.password(), "nightshift.home",
								Files.createTempDirectory("nightshift-parallel-home").toString(),
								"nightshift.agent.base-url", model.baseUrl())));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}
}
