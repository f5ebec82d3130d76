package dev.nightshift.agent.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Usage;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/** Every draft is recorded: valid ones PROPOSED, the rest REJECTED with the reason, as the table shows. */
@NightshiftIntegrationTest
@RecordApplicationEvents
class ProposalIntakeTest {

	static final String TRAIN_PY = "warmup = 0\nlr = 0.003\nprint(\"val_loss: 1.0\")\n";

	static final String WARMUP_DIFF = """
			--- a/train.py
			+++ b/train.py
			@@ -1,3 +1,3 @@
			-warmup = 0
			+warmup = 100
			 lr = 0.003
			 print("val_loss: 1.0")
			""";

	static final String EVAL_DIFF = """
			--- a/eval.py
			+++ b/eval.py
			@@ -1,2 +1,2 @@
			 def evaluate():
			-    return 1.0
			+    return 0.0
			""";

	@Autowired
	ProposalIntake intake;

	@Autowired
	RegisterExperiment register;

	@Autowired
	GitPatchCheck code;

	@Autowired
	QuestionRepository questions;

	@Autowired
	DecideProposal decide;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ApplicationEvents events;

	Experiment experiment;

	@BeforeEach
	void setUp() {
		experiment = register.register(new ExperimentSpecParser().parseYaml("""
				name: intake-%s
				command: python3 train.py
				editable: [train.py, "lib/**"]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 1m}
				parameters:
				  lr:     {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				  n_embd: {type: int, min: 8, max: 64, default: 16}
				  act:    {type: choice, values: [tanh, relu], default: tanh}
				""".formatted(UUID.randomUUID().toString().substring(0, 8))), "human:test");
		code.code(experiment.id(), Map.of("train.py", TRAIN_PY, "eval.py", "def evaluate():\n    return 1.0\n"));
	}

	@Test
	void validDraftIsProposedWithNormalisedParamsAndItsCost() {
		Proposal proposal = record(ProposalDraft.of(null, "Does a higher lr help?", Map.of("lr", "0.01", "n_embd", 32.0),
				WARMUP_DIFF, "Loss was still falling.", "0.05 lower", new Usage(1200, 300, 0.0048)));

		assertThat(proposal.status()).isEqualTo(ProposalStatus.PROPOSED);
		assertThat(proposal.params()).containsEntry("lr", 0.01).containsEntry("n_embd", 32L);
		assertThat(proposal.proposer()).isEqualTo("llm:test-model");
		Map<String, Object> row = row(proposal);
		assertThat(row).containsEntry("status", "PROPOSED").containsEntry("tokens_in", 1200L)
			.containsEntry("tokens_out", 300L).containsEntry("cost_usd", 0.0048).containsEntry("raw_answer", null);
		assertThat(row.get("patch")).isEqualTo(WARMUP_DIFF);
		assertThat(questions.require(proposal.questionId()).status()).isEqualTo(QuestionStatus.OPEN);
	}

	@Test
	void aQuestionIdThatNamesNoQuestionGivenWithWordsIsANewQuestion() {
		// What a model writes where its provider's schema cannot say null (Ollama's format): 0, or a made-up id.
		Proposal zero = record(ProposalDraft.of(0L, "Does a lower lr help?", Map.of("lr", 0.002), null, "try it", null,
				Usage.NONE));
		Proposal alone = record(ProposalDraft.of(987_654L, null, Map.of("lr", 0.0021), null, "try it", null, Usage.NONE));

		assertThat(zero.status()).isEqualTo(ProposalStatus.PROPOSED);
		assertThat(questions.require(zero.questionId()).text()).isEqualTo("Does a lower lr help?");
		assertThat(questions.require(zero.questionId()).status()).isEqualTo(QuestionStatus.OPEN);
		assertThat(alone.status()).as("an unknown id without words names no question").isEqualTo(ProposalStatus.REJECTED);
		assertThat(alone.statusReason()).hasValueSatisfying(reason -> assertThat(reason).contains("questionId"));
	}

	@Test
	void paramsOutsideTheSpaceAreRejectedWithTheReason() {
		Proposal proposal = record(draft(Map.of("lr", 0.5, "act", "gelu", "depth", 3), null));

		assertRejected(proposal, "params.lr: 0.5 is outside [1.0E-4, 0.03]", "params.act: 'gelu' is not one of [tanh, relu]",
				"params.depth: 'depth' is not a parameter of this experiment");
		assertThat(proposal.params()).containsEntry("lr", 0.5);
		Question question = questions.require(proposal.questionId());
		assertThat(question.text()).isEqualTo("Is it better?");
		assertThat(question.status()).isEqualTo(QuestionStatus.ABANDONED);
		assertThat(question.conclusion()).hasValueSatisfying(c -> assertThat(c).contains("rejected"));
		assertThat(jdbc.queryForList(
				"select coalesce(from_state, '-') || '>' || to_state || ' by ' || actor from state_change "
						+ "where aggregate = 'PROPOSAL' and aggregate_id = ? order by id",
				String.class, proposal.id().value()))
			.containsExactly("->PROPOSED by llm:test-model", "PROPOSED>REJECTED by system");
	}

	@Test
	void patchThatDoesNotApplyIsRejected() {
		Proposal proposal = record(draft(Map.of(), WARMUP_DIFF.replace("-warmup = 0", "-warmup = 5")));

		assertRejected(proposal, "patch: does not apply to the best run's code: ", "train.py");
		// The metrics count rejections by the rule broken.
		assertThat(events.stream(dev.nightshift.agent.ProposalRejected.class))
			.containsExactly(new dev.nightshift.agent.ProposalRejected(experiment.id().value(), "llm:test-model",
					java.util.List.of("does-not-apply")));
	}

	@Test
	void patchTouchingAFileThatIsNotEditableIsRejected() {
		Proposal proposal = record(draft(Map.of(), WARMUP_DIFF + EVAL_DIFF));

		assertRejected(proposal, "patch: touches files that are not editable: eval.py (editable: train.py, lib/**)");
	}

	@Test
	void oversizedPatchIsRejectedBeforeAnyoneAppliesIt() {
		String huge = "--- /dev/null\n+++ b/lib/big.py\n@@ -0,0 +1 @@\n+x = '" + "a".repeat(70_000) + "'\n";

		assertRejected(record(draft(Map.of(), huge)), "more than the limit of 65536");
	}

	@Test
	void patchTouchingTooManyFilesIsRejected() {
		StringBuilder many = new StringBuilder();
		for (int i = 0; i < 21; i++) {
			many.append("--- /dev/null\n+++ b/lib/f").append(i).append(".py\n@@ -0,0 +1 @@\n+x = ").append(i).append('\n');
		}

		assertRejected(record(draft(Map.of(), many.toString())), "patch: touches 21 files, more than the limit of 20");
	}

	@Test
	void duplicateOfAnEarlierProposalIsRejectedButARejectedOneMayComeBack() {
		Proposal first = record(draft(Map.of("lr", 0.01, "act", "relu"), WARMUP_DIFF));
		decide.veto(first.id(), "human:alice", "not tonight");

		Proposal again = record(draft(Map.of("act", "relu", "lr", 1.0e-2), WARMUP_DIFF.replace("\n", "\r\n")));

		assertRejected(again, "duplicate: the same parameters and patch as proposal #" + first.id() + " (VETOED)");
		Proposal otherPatch = record(draft(Map.of("lr", 0.01, "act", "relu"), null));
		assertThat(otherPatch.status()).isEqualTo(ProposalStatus.PROPOSED);

		Proposal withoutRationale = record(ProposalDraft.of(null, "Is tanh better?", Map.of("act", "tanh"), null, " ",
				null, Usage.NONE));
		assertRejected(withoutRationale, "rationale: say why");
		Proposal fixed = record(ProposalDraft.of(null, "Is tanh better?", Map.of("act", "tanh"), null, "the baseline",
				null, Usage.NONE));
		assertThat(fixed.status()).isEqualTo(ProposalStatus.PROPOSED);
	}

	@Test
	void draftsOfOneCallAreDuplicatesOfEachOther() {
		List<Proposal> recorded = intake.record(experiment.id(), "strategy:random",
				List.of(draft(Map.of("n_embd", 24), null), draft(Map.of("n_embd", 24L), null)));

		assertThat(recorded).extracting(Proposal::status).containsExactly(ProposalStatus.PROPOSED, ProposalStatus.REJECTED);
	}

	@Test
	void theProposalsOfOneCallShareWhatItCost() {
		// A model puts the whole call on its first draft; each proposal (and each run it makes) carries its part.
		List<Proposal> recorded = intake.record(experiment.id(), "llm:test-model", List.of(
				ProposalDraft.of(null, "Does a higher lr help?", Map.of("lr", 0.01), null, "higher", null,
						new Usage(1001, 300, 0.004)),
				ProposalDraft.of(null, "Does a wider model help?", Map.of("n_embd", 32), null, "wider", null, Usage.NONE)));

		assertThat(recorded).extracting(Proposal::tokensIn).containsExactly(501L, 500L);
		assertThat(recorded).extracting(Proposal::tokensOut).containsExactly(150L, 150L);
		assertThat(recorded).extracting(Proposal::costUsd).containsExactly(0.002, 0.002);
	}

	@Test
	void deadEndIsNotStudiedAgainByIdNorByItsWords() {
		Question deadEnd = questions.save(Question.open(experiment.id(), null, "Does dropout help a model this small?",
				"llm:test-model"));
		deadEnd.close(QuestionStatus.DEAD_END, "three runs, all worse", "llm:test-model");
		deadEnd = questions.save(deadEnd);

		Proposal byId = record(ProposalDraft.of(deadEnd.id().value(), null, Map.of("lr", 0.001), null, "once more",
				null, Usage.NONE));
		Proposal byWords = record(ProposalDraft.of(null, "  does DROPOUT help a model this small? ", Map.of("lr", 0.002),
				null, "once more", null, Usage.NONE));

		assertRejected(byId, "dead end: question #" + deadEnd.id() + " was closed as DEAD_END: three runs, all worse");
		assertRejected(byWords, "dead end: the question repeats #" + deadEnd.id() + ", closed as DEAD_END");
		assertThat(byId.questionId()).isEqualTo(deadEnd.id());
		assertThat(byWords.questionId()).isEqualTo(deadEnd.id());
	}

	@Test
	void agentErrorIsRejectedKeepingTheRawAnswerAndItsCost() {
		Proposal proposal = record(ProposalDraft.failed("unusable answer after one repair: not valid JSON",
				"Sure! {\"proposals\": [", new Usage(900, 40, 0.0021)));
		Proposal another = record(ProposalDraft.failed("TimeoutException: request timed out", null, Usage.NONE));

		assertRejected(proposal, "agent error: unusable answer after one repair: not valid JSON");
		Map<String, Object> row = row(proposal);
		assertThat(row).containsEntry("raw_answer", "Sure! {\"proposals\": [").containsEntry("tokens_in", 900L)
			.containsEntry("cost_usd", 0.0021);
		Question holder = questions.require(proposal.questionId());
		assertThat(holder.text()).isEqualTo(ProposalIntake.NO_QUESTION);
		assertThat(holder.status()).isEqualTo(QuestionStatus.ABANDONED);
		assertThat(another.questionId()).isEqualTo(holder.id());
	}

	@Test
	void aDraftWithNulCharactersIsRejectedAndStoredWithoutThem() {
		Proposal proposal = record(ProposalDraft.of(null, "Is it\0 better?", Map.of("lr", "0.01\0"),
				WARMUP_DIFF.replace("warmup = 100", "warmup = 100\0"), "worth\0 a try", null, Usage.NONE));

		assertRejected(proposal, "patch: contains a NUL character", "rationale: contains a NUL character",
				"question: contains a NUL character", "params.lr: contains a NUL character");
		assertThat((String) row(proposal).get("patch")).contains("warmup = 100\n").doesNotContain("\0");
	}

	private Proposal record(ProposalDraft draft) {
		return intake.record(experiment.id(), "llm:test-model", List.of(draft)).get(0);
	}

	private static ProposalDraft draft(Map<String, Object> params, String patch) {
		return ProposalDraft.of(null, "Is it better?", params, patch, "worth a try", null, Usage.NONE);
	}

	private void assertRejected(Proposal proposal, String... reasons) {
		assertThat(proposal.status()).isEqualTo(ProposalStatus.REJECTED);
		assertThat(proposal.decidedBy()).contains("system");
		Map<String, Object> row = row(proposal);
		assertThat(row.get("status")).isEqualTo("REJECTED");
		assertThat((String) row.get("status_reason")).contains(reasons);
	}

	private Map<String, Object> row(Proposal proposal) {
		return jdbc.queryForMap("select status, status_reason, patch, raw_answer, tokens_in, tokens_out, cost_usd "
				+ "from proposal where id = ?", proposal.id().value());
	}
}
