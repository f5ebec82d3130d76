package dev.nightshift.agent.llm;

import static dev.nightshift.agent.llm.LlmWire.OPENAI_PATH;
import static dev.nightshift.agent.llm.LlmWire.answer;
import static dev.nightshift.agent.llm.LlmWire.openAi;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.validation.GitPatchCheck;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** From the model's answer on the wire to proposals in the database, with their cost, and agent errors too. */
@NightshiftIntegrationTest
class LlmIntakeTest {

	static final LlmWire wire = new LlmWire();

	@Autowired
	ProposalIntake intake;

	@Autowired
	RegisterExperiment register;

	@Autowired
	GitPatchCheck code;

	@Autowired
	QuestionRepository questions;

	@Autowired
	JdbcTemplate jdbc;

	Experiment experiment;

	LlmResearcher researcher;

	@BeforeEach
	void setUp() {
		wire.server.resetAll();
		String yaml = new ExperimentSpecParser().toJson(LlmWire.SPEC)
			.replace("\"micro-gpt\"", "\"llm-" + UUID.randomUUID().toString().substring(0, 8) + "\"");
		experiment = register.register(new ExperimentSpecParser().parseJson(yaml), "human:test");
		code.code(experiment.id(), Map.of("train.py", "warmup = 0\n"));
		researcher = new LlmResearcher(wire.properties(AgentProperties.Provider.OPENAI, "/v1"), new PlainDigest(),
				LlmWire::environment);
	}

	@AfterAll
	static void stop() {
		wire.close();
	}

	@Test
	void proposalsOfTheModelAreRecordedWithTheirCostAndRepeatsAreRejected() {
		Question wider = questions.save(Question.open(experiment.id(), null, "Does a wider model with relu train better?",
				"human:test"));
		String content = answer("proposals.json").replace("\"questionId\": 7", "\"questionId\": " + wider.id());
		wire.serve(OPENAI_PATH, openAi(content, "stop", 1000, 250), openAi(content, "stop", 1000, 250));

		List<Proposal> first = intake.ask(researcher, context(), 2);
		List<Proposal> again = intake.ask(researcher, context(), 2);

		assertThat(first).extracting(Proposal::status).containsExactly(ProposalStatus.PROPOSED, ProposalStatus.PROPOSED);
		assertThat(first).extracting(Proposal::proposer).containsOnly("llm:test-model");
		assertThat(first.get(0).params()).containsEntry("lr", 0.01);
		assertThat(first.get(1).questionId()).isEqualTo(wider.id());
		assertThat(first.get(1).patch()).hasValueSatisfying(patch -> assertThat(patch).contains("+warmup = 100"));
		assertThat(jdbc.queryForObject("select sum(tokens_in) from proposal where experiment_id = ?", Long.class,
				experiment.id().value())).isEqualTo(2000L);
		assertThat(again).extracting(Proposal::status).containsOnly(ProposalStatus.REJECTED);
		assertThat(again.get(0).statusReason()).hasValueSatisfying(r -> assertThat(r).startsWith("duplicate: "));
	}

	@Test
	void unusableAnswerIsRecordedAsAnAgentError() {
		wire.serve(OPENAI_PATH, openAi("I think lr should go up.", "stop", 500, 10),
				openAi("Really, raise lr!", "stop", 520, 5));

		List<Proposal> recorded = intake.ask(researcher, context(), 2);

		assertThat(recorded).singleElement().satisfies(proposal -> {
			assertThat(proposal.status()).isEqualTo(ProposalStatus.REJECTED);
			assertThat(proposal.statusReason()).hasValueSatisfying(
					reason -> assertThat(reason).startsWith("agent error: unusable answer after one repair: not valid JSON"));
			assertThat(proposal.rawAnswer()).hasValueSatisfying(raw -> assertThat(raw).contains("I think lr", "Really"));
			assertThat(proposal.tokensIn()).isEqualTo(1020);
			assertThat(proposal.costUsd()).isPositive();
		});
	}

	private ResearchContext context() {
		return new ResearchContext(experiment.id().value(), experiment.spec(), null, null, List.of(), List.of(), List.of(),
				List.of(), List.of(), List.of(), List.of(), null, 1);
	}
}
