package dev.nightshift.web.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Object mother of the browser tests: experiments whose command answers at once (so approved proposals run
 * to DONE in a moment), runs in any state, proposals, questions, dead ends and run logs, each made through
 * the domain's own factories and use cases.
 */
@TestComponent
public class Seed {

	static final String UNIFIED_DIFF = """
			diff --git a/train.py b/train.py
			--- a/train.py
			+++ b/train.py
			@@ -10,4 +10,4 @@ def train():
			     model = Model(n_embd)
			-    warmup = 0
			+    warmup = 100
			     for step in range(steps):
			         loss = model.step()
			""";

	private final RegisterExperiment register;
	private final RunRepository runs;
	private final SubmitProposal submit;
	private final QuestionRepository questions;
	private final DecideProposal decide;
	private final NightshiftHome home;
	private final TransactionTemplate transaction;

	Seed(RegisterExperiment register, RunRepository runs, SubmitProposal submit,
			QuestionRepository questions, DecideProposal decide, NightshiftHome home,
			PlatformTransactionManager transactions) {
		this.transaction = new TransactionTemplate(transactions);
		this.decide = decide;
		this.register = register;
		this.runs = runs;
		this.submit = submit;
		this.questions = questions;
		this.home = home;
	}

	/** A fresh experiment whose command prints {@code val_loss: 1.0} and exits. */
	Experiment experiment() {
		String yaml = """
				name: ui-%s
				command: "echo 'val_loss: 1.0'"
				editable: [train.py]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 2m}
				parameters:
				  lr:      {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
				  n_embd:  {type: int, min: 8, max: 64, default: 16}
				  act:     {type: choice, values: [tanh, relu], default: tanh}
				resources: {gpus: 0}
				brief: |
				  Lower val_loss.
				""".formatted(UUID.randomUUID().toString().substring(0, 8));
		return register.register(new ExperimentSpecParser().parseYaml(yaml), "human:test");
	}

	/** A PROPOSED proposal on a new or existing open question. */
	Proposal proposal(Experiment experiment, String question, Map<String, Object> params, String patch,
			String rationale) {
		return submit.submit(new SubmitProposal.Command(experiment.id(), null, question,
				new ProposalContent(params, patch, rationale, "lower val_loss"), "llm:test-model"));
	}

	/** Vetoes a proposal as another person would, in another browser. */
	void veto(Proposal proposal, String reason) {
		decide.veto(proposal.id(), "human:someone-else", reason);
	}

	/** A run that went from the queue to {@code outcome}; {@code proposal} may be null for a baseline. */
	Run finished(Experiment experiment, Proposal proposal, RunStatus outcome, Double objective) {
		return transaction.execute(status -> {
			Run run = start(experiment, proposal);
			run.finish(outcome, outcome == RunStatus.SUCCEEDED ? 0 : 1, objective, 512.0,
					outcome == RunStatus.SUCCEEDED ? null : "exit status 1", "system");
			return runs.save(run);
		});
	}

	/**
	 * Waits until the judge, woken after commit by each run's end, has given every one of {@code finished} its
	 * verdict: a page opened before that shows runs without their verdicts and without the best.
	 */
	void awaitVerdicts(Run... finished) {
		org.awaitility.Awaitility.await("the verdicts of the seeded runs").atMost(java.time.Duration.ofMinutes(2))
			.until(() -> java.util.Arrays.stream(finished)
				.allMatch(run -> runs.findById(run.id().value()).flatMap(Run::verdict).isPresent()));
	}

	/** A run the pruning rule stopped, with its partial objective and the rule's reason. */
	Run pruned(Experiment experiment, Proposal proposal, double objective, String reason) {
		return transaction.execute(status -> {
			Run run = start(experiment, proposal);
			run.pruned(143, objective, 512.0, reason, "system");
			return runs.save(run);
		});
	}

	/** A run that is RUNNING on a slot nobody supervises, so the test decides when it ends. */
	Run running(Experiment experiment, Proposal proposal) {
		return transaction.execute(status -> start(experiment, proposal));
	}

	// In one transaction with the caller's, so the scheduler never sees the run QUEUED and claims it.
	private Run start(Experiment experiment, Proposal proposal) {
		Run run = runs.save(Run.queue(experiment.id(), proposal == null ? null : proposal.id(),
				proposal == null ? RunKind.BASELINE : RunKind.PROPOSAL,
				proposal == null ? Map.of("lr", 0.003) : proposal.params()));
		run.claim("cpu-test", "", "system");
		run.started(4242, null, "0123456789abcdef0123456789abcdef01234567", "system");
		return runs.save(run);
	}

	/** Ends a running run, as the executor would. */
	Run finish(Run running, RunStatus outcome, Double objective) {
		Run run = runs.require(running.id());
		run.finish(outcome, 0, objective, null, null, "system");
		return runs.save(run);
	}

	Question question(Experiment experiment, Question parent, String text) {
		return questions.save(Question.open(experiment.id(), parent == null ? null : parent.id(), text, "human:test"));
	}

	Question close(Question question, QuestionStatus outcome, String conclusion) {
		Question current = questions.require(question.id());
		current.close(outcome, conclusion, "strategy:test");
		return questions.save(current);
	}

	/** Appends to the run's log under {@code NIGHTSHIFT_HOME/runs/<id>/run.log}, as a training process would. */
	Path appendLog(Run run, String text) {
		Path log = home.runsDirectory().resolve(Long.toString(run.id().value())).resolve("run.log");
		try {
			Files.createDirectories(log.getParent());
			Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			return log;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
