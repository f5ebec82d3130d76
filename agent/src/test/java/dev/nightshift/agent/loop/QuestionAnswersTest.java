package dev.nightshift.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.question.Factors;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.question.QuestionKind;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Questions are answered only by the evidence that can answer them, on a real database with real verdicts: the
 * runs are queued as the scheduler queues them (merged onto the best, labelled with what they vary), finished,
 * and judged by the application's own listener. Five baseline replicates measure the noise (σ ≈ 0.007, a KEEP
 * needs about 0.06).
 */
@NightshiftIntegrationTest
class QuestionAnswersTest {

	private static final String RELU = "Does act = relu instead of tanh improve val_loss?";

	@Autowired
	RegisterExperiment register;

	@Autowired
	SubmitProposal submit;

	@Autowired
	DecideProposal decide;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	RunRepository runs;

	@Autowired
	ExperimentRepository experiments;

	@Autowired
	QuestionRepository questions;

	@Autowired
	QuestionAnswers answers;

	@Autowired
	UnansweredQuestions unanswered;

	@Autowired
	MorningSummary summary;

	@Autowired
	JdbcClient jdbc;

	Experiment experiment;

	@BeforeEach
	void experimentWithAMeasuredBaseline() {
		experiment = register.register(new ExperimentSpecParser().parseYaml(spec()), "human:test");
		Proposal baseline = submit.submitBaseline(experiment.id(), "system");
		schedule(baseline);
		// Queued together, as the scheduler queues a baseline's replicates, so none ends while another is still to come.
		double[] values = {1.00, 1.01, 0.99, 1.00, 1.00};
		List<Run> replicates = new java.util.ArrayList<>();
		for (int i = 0; i < values.length; i++) {
			replicates.add(runs.save(Run.queue(experiment.id(), baseline.id(), RunKind.BASELINE, merged(Map.of()), null,
					List.of())));
		}
		for (int i = 0; i < values.length; i++) {
			finish(replicates.get(i), values[i]);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> experiments.require(experiment.id()).bestRunId().isPresent());
	}

	private static String spec() {
		return """
				name: answers-%s
				command: python3 train.py
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 2m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				  n_embd: {type: int, min: 8, max: 64, default: 16}
				  n_hidden: {type: int, min: 16, max: 256, default: 64}
				  act: {type: choice, values: [tanh, relu], default: tanh}
				noise: {replicates: 5, min_delta: 0.0}
				brief: Lower val_loss.
				""".formatted(UUID.randomUUID().toString().substring(0, 8));
	}

	@Test
	void multiFactorRunsThatDoNotImproveNeverCloseAQuestionAboutOneFactor() {
		// The failure: TPE asked about relu for runs that also moved lr, n_embd and n_hidden.
		for (int i = 0; i < 4; i++) {
			run(RELU, Map.of("act", "relu", "lr", 0.001 + i * 0.002, "n_embd", 20 + i, "n_hidden", 100 + i), 1.01);
		}
		Question question = questions.findFirstByExperimentIdAndStatusAndText(experiment.id().value(),
				QuestionStatus.OPEN, RELU).orElseThrow();
		answers.close(experiment.id());

		assertThat(questions.require(question.id()).status()).isEqualTo(QuestionStatus.OPEN);
		assertThat(question.kind()).isEqualTo(QuestionKind.EXPLORATION);
		assertThat(question.factors()).containsExactly("lr", "n_embd", "n_hidden", "act");
	}

	@Test
	void aOneFactorQuestionIsNotClosedByRunsThatVariedMoreThanItsFactor() {
		long first = run(RELU, Map.of("act", "relu"), 1.01);
		QuestionId question = questionOf(first);
		for (int i = 0; i < 3; i++) {
			run(question, Map.of("act", "relu", "lr", 0.001 + i * 0.002), 1.01);
		}
		answers.close(experiment.id());

		Question read = questions.require(question);
		assertThat(read.kind()).isEqualTo(QuestionKind.ONE_FACTOR);
		assertThat(read.factors()).containsExactly("act");
		assertThat(read.status()).isEqualTo(QuestionStatus.OPEN);
	}

	@Test
	void threeOneFactorRunsWithoutAnEffectMakeADeadEndThatListsTheirEvidence() {
		String text = "Does a higher lr than 0.003 improve val_loss?";
		long a = run(text, Map.of("lr", 0.004), 1.005);
		long b = run(text, Map.of("lr", 0.005), 1.02);
		long c = run(text, Map.of("lr", 0.006), 1.01);

		Question question = awaitClosed(questionOf(a));
		assertThat(question.status()).isEqualTo(QuestionStatus.DEAD_END);
		assertThat(question.conclusion().orElseThrow()).contains("3 one-factor runs varying lr", "run " + a, "run " + b,
				"run " + c, "noise margin", "val_loss 1.005");
		assertThat(runs.findById(a).orElseThrow().varied()).contains(List.of("lr"));
	}

	@Test
	void aKeptRunClosesItsQuestionSupportedWithItsEvidence() {
		long kept = run("Does a wider n_embd than 16 improve val_loss?", Map.of("n_embd", 32), 0.80);

		Question question = awaitClosed(questionOf(kept));
		assertThat(question.status()).isEqualTo(QuestionStatus.SUPPORTED);
		assertThat(question.conclusion().orElseThrow()).contains("run " + kept, "kept", "val_loss 0.8",
				"-0.2", "noise margin", "varied n_embd");
		assertThat(summary.since(experiment, Instant.EPOCH, Instant.now()).learned())
			.anySatisfy(learned -> assertThat(learned.questionId()).isEqualTo(question.id().value()));
	}

	@Test
	void oneFactorRunsWorseBeyondTheNoiseRefuteTheirQuestion() {
		String text = "Does a larger n_hidden than 64 improve val_loss?";
		long a = run(text, Map.of("n_hidden", 128), 1.30);
		run(text, Map.of("n_hidden", 192), 1.40);
		run(text, Map.of("n_hidden", 256), 1.35);

		Question question = awaitClosed(questionOf(a));
		assertThat(question.status()).isEqualTo(QuestionStatus.REFUTED);
		assertThat(question.conclusion().orElseThrow()).contains("worse than its base beyond the noise", "+0.3");
	}

	@Test
	void theBaselinesQuestionIsAnsweredWithItsMeanAndNoise() {
		Question question = questions.findByExperimentId(experiment.id().value(), org.springframework.data.domain.Pageable.unpaged())
			.stream()
			.filter(q -> q.text().equals(SubmitProposal.BASELINE_QUESTION))
			.findFirst()
			.orElseThrow();

		Question answered = awaitClosed(question.id());
		assertThat(answered.status()).isEqualTo(QuestionStatus.SUPPORTED);
		assertThat(answered.conclusion().orElseThrow()).isEqualTo("val_loss 1.000 on average over 5 successful run(s)"
				+ " of the unmodified code at its defaults, σ 0.007071 between them");
	}

	@Test
	void aFactorATrustworthyImportanceEstimateFindsIrrelevantIsADeadEndBeforeThreeRunsButOneThatMattersIsNot() {
		// Fourteen draws that move lr (which decides val_loss) and n_hidden (which does nothing) at once.
		int[] widths = {16, 200, 48, 128, 96, 256, 32, 160, 64, 224, 80, 112, 176, 24};
		for (int i = 0; i < widths.length; i++) {
			double lr = 0.004 + 0.0018 * i;
			run("Where else in the space is val_loss lower?", Map.of("lr", lr, "n_hidden", widths[i]), 0.97 + 10 * lr);
		}
		long irrelevant = run("Does a larger n_hidden than 64 improve val_loss?", Map.of("n_hidden", 200), 1.01);
		long relevant = run("Does a higher lr than 0.003 improve val_loss?", Map.of("lr", 0.005), 1.02);

		await().atMost(Duration.ofSeconds(30)).until(() -> {
			answers.close(experiment.id());
			return questions.require(questionOf(irrelevant)).status() != QuestionStatus.OPEN;
		});
		Question deadEnd = questions.require(questionOf(irrelevant));
		assertThat(deadEnd.status()).isEqualTo(QuestionStatus.DEAD_END);
		assertThat(deadEnd.conclusion().orElseThrow()).contains("n_hidden explains", "importance estimate on",
				"run " + irrelevant);
		assertThat(questions.require(questionOf(relevant)).status()).isEqualTo(QuestionStatus.OPEN);
	}

	@Test
	void aClosingLostInACrashIsRepaired() {
		// Rows as a crash leaves them: a run kept, the server gone before its question was answered. Written
		// straight into the tables of an experiment of their own, so no event of this test answers it.
		Experiment quiet = register.register(new ExperimentSpecParser().parseYaml(spec()), "human:test");
		long baseline = jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, verdict, varied, queued_at, finished_at)
				values (?, 'BASELINE', 'SUCCEEDED', '{"act": "tanh"}', 1.0, 'KEEP', '{}', now(), now()) returning id""")
			.param(quiet.id().value())
			.query(Long.class)
			.single();
		jdbc.sql("update experiment set best_run_id = ? where id = ?").params(baseline, quiet.id().value()).update();
		Proposal proposal = submit.submit(new SubmitProposal.Command(quiet.id(), null, RELU,
				new ProposalContent(Map.of("act", "relu"), null, "a test of the repair", null), "human:test"));
		long run = jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, objective, verdict, verdict_reason,
				                 base_run_id, varied, queued_at, started_at, finished_at)
				values (?, ?, 'PROPOSAL', 'SUCCEEDED', '{"act": "relu"}', 0.7, 'KEEP', 'better by 0.3, beyond the noise',
				        ?, '{act}', now(), now(), now()) returning id""")
			.params(quiet.id().value(), proposal.id().value(), baseline)
			.query(Long.class)
			.single();
		jdbc.sql("update experiment set best_run_id = ? where id = ?").params(run, quiet.id().value()).update();
		assertThat(questions.require(proposal.questionId()).status()).isEqualTo(QuestionStatus.OPEN);

		assertThat(unanswered.repair()).isGreaterThanOrEqualTo(1);

		Question question = questions.require(proposal.questionId());
		assertThat(question.status()).isEqualTo(QuestionStatus.SUPPORTED);
		assertThat(question.conclusion().orElseThrow()).contains("run " + run, "vs 1.000 of base run " + baseline);
		assertThat(answers.close(quiet.id())).isZero();
	}

	/** Proposes {@code change} under the question with these words, queues, finishes and awaits its verdict. */
	private long run(String question, Map<String, Object> change, double objective) {
		return queueAndFinish(propose(question, change), change, objective);
	}

	private long run(QuestionId question, Map<String, Object> change, double objective) {
		Proposal proposal = submit.submit(new SubmitProposal.Command(experiment.id(), question, null,
				new ProposalContent(change, null, "a test of the evidence rule", null), "human:test"));
		return queueAndFinish(proposal, change, objective);
	}

	private Proposal propose(String question, Map<String, Object> change) {
		return submit.submit(new SubmitProposal.Command(experiment.id(), null, question,
				new ProposalContent(change, null, "a test of the evidence rule", null), "human:test"));
	}

	/** As the scheduler's queue does it: merged onto the best, labelled with what differs from it. */
	private long queueAndFinish(Proposal proposal, Map<String, Object> change, double objective) {
		schedule(proposal);
		Run best = runs.findById(experiments.require(experiment.id()).bestRunId().orElseThrow()).orElseThrow();
		Map<String, Object> params = new LinkedHashMap<>(best.params());
		params.putAll(change);
		Run run = runs.save(Run.queue(experiment.id(), proposal.id(), RunKind.PROPOSAL, params, best.id(),
				Factors.varied(experiment.spec(), best.params(), params, false)));
		finish(run, objective);
		await().atMost(Duration.ofSeconds(30)).until(() -> runs.require(run.id()).verdict().isPresent());
		return run.id().value();
	}

	private void schedule(Proposal proposal) {
		decide.approve(proposal.id(), "human:test");
		Proposal approved = proposals.require(proposal.id());
		approved.schedule("system");
		proposals.save(approved);
	}

	private void finish(Run run, double objective) {
		run.claim("cpu-0", "", "system");
		run.started(1, null, "abc", "system");
		run.finish(RunStatus.SUCCEEDED, 0, objective, null, null, "system");
		runs.save(run);
	}

	private Map<String, Object> merged(Map<String, Object> change) {
		Map<String, Object> params = new LinkedHashMap<>();
		experiment.spec().parameters().forEach((name, parameter) -> params.put(name, parameter.defaultObject()));
		params.putAll(change);
		return params;
	}

	private QuestionId questionOf(long run) {
		return proposals.require(runs.findById(run).orElseThrow().proposalId().orElseThrow()).questionId();
	}

	private Question awaitClosed(QuestionId id) {
		await().atMost(Duration.ofSeconds(30)).until(() -> questions.require(id).status() != QuestionStatus.OPEN);
		return questions.require(id);
	}
}
