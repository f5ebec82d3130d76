package dev.nightshift.scheduler.execution;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import org.springframework.boot.test.context.TestComponent;

/** Training programs written by tests into folders of their own, registered as experiments, and proposals for them. */
@TestComponent
class TrainingPrograms {

	private final RegisterExperiment register;
	private final SubmitProposal submit;
	private final DecideProposal decide;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final NightshiftHome home;

	TrainingPrograms(RegisterExperiment register, SubmitProposal submit, DecideProposal decide,
			ExperimentRepository experiments, RunRepository runs, NightshiftHome home) {
		this.register = register;
		this.submit = submit;
		this.decide = decide;
		this.experiments = experiments;
		this.runs = runs;
		this.home = home;
	}

	/** The run of a proposal, once it has finished (patiently: a run on a busy machine may wait for a slot). */
	Run finishedRunOf(Proposal proposal) {
		return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
			.until(() -> runOf(proposal), run -> run != null && run.status().isFinished());
	}

	/** What the run printed, read from its run directory. */
	String log(RunId run) {
		try {
			return Files.readString(home.runsDirectory().resolve(run.toString()).resolve("run.log"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The run of a proposal, or null while it has none. */
	Run runOf(Proposal proposal) {
		return runs.findAll().stream()
			.filter(r -> r.proposalId().map(proposal.id()::equals).orElse(false))
			.findFirst()
			.orElse(null);
	}

	/** An experiment whose command is {@code sh train.sh}, with {@code script} as train.sh. */
	Experiment shellExperiment(String script, String budget, int gpus) {
		return shellExperiment(script, budget, gpus, "");
	}

	/** As {@link #shellExperiment(String, String, int)}, with more top-level YAML appended to its spec. */
	Experiment shellExperiment(String script, String budget, int gpus, String moreYaml) {
		try {
			Path source = Files.createTempDirectory("nightshift-program");
			Files.writeString(source.resolve("train.sh"), script);
			Files.writeString(source.resolve("README"), "a test training program\n");
			String yaml = """
					name: program-%s
					source: %s
					command: sh train.sh
					editable: [train.sh]
					objective: {metric: val_loss, goal: minimize}
					budget: {run: %s}
					parameters:
					  lr: {type: float, min: 0.0001, max: 0.1, log: true, default: 0.003}
					  width: {type: int, min: 1, max: 64, default: 8}
					resources: {gpus: %d}
					""".formatted(UUID.randomUUID().toString().substring(0, 8), source, budget, gpus) + moreYaml;
			return register.register(new ExperimentSpecParser().parseYaml(yaml), "human:test");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Proposes {@code params} (and {@code patch}) for the experiment and approves it, as a reviewer would. */
	Proposal approve(Experiment experiment, Map<String, Object> params, String patch) {
		Proposal proposal = submit.submit(new SubmitProposal.Command(experiment.id(), null, "Does it train?",
				new ProposalContent(params, patch, "a test", null), "human:test"));
		return decide.approve(proposal.id(), "human:test");
	}

	Experiment reload(Experiment experiment) {
		return experiments.require(experiment.id());
	}
}
