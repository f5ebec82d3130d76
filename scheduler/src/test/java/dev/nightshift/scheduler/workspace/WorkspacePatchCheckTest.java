package dev.nightshift.scheduler.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.proposal.PatchCheck;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Proposals' patches are checked with real git against the experiment's best code, imported on first use. */
@NightshiftIntegrationTest
class WorkspacePatchCheckTest {

	static final String TRAIN_SH = "lr=0.01\nsteps=100\necho \"val_loss: 1.0\"\n";

	static final String LR_DIFF = """
			--- a/train.sh
			+++ b/train.sh
			@@ -1,3 +1,3 @@
			-lr=0.01
			+lr=0.02
			 steps=100
			 echo "val_loss: 1.0"
			""";

	@Autowired
	PatchCheck patchCheck;

	@Autowired
	RegisterExperiment register;

	@Autowired
	ExperimentRepository experiments;

	@Autowired
	RunRepository runs;

	@Autowired
	Workspaces workspaces;

	@Autowired
	NightshiftHome home;

	@Autowired
	PlatformTransactionManager transactions;

	Experiment experiment;

	@BeforeEach
	void setUp() throws Exception {
		Path source = Files.createTempDirectory("nightshift-patch-check");
		Files.writeString(source.resolve("train.sh"), TRAIN_SH);
		Files.writeString(source.resolve("README"), "a program\n");
		experiment = register.register(new ExperimentSpecParser().parseYaml("""
				name: patch-check-%s
				source: %s
				command: sh train.sh
				editable: [train.sh]
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 1m}
				parameters:
				  lr: {type: float, min: 0.0001, max: 0.1}
				""".formatted(UUID.randomUUID().toString().substring(0, 8), source)), "human:test");
	}

	@Test
	void patchIsCheckedAgainstTheImportedCodeImportedOnFirstUse() {
		assertThat(patchCheck).isInstanceOf(WorkspacePatchCheck.class);

		assertThat(patchCheck.touchedFiles(experiment.id(), null, LR_DIFF)).containsExactly("train.sh");
		assertThat(home.repositoriesDirectory().resolve(experiment.id().toString()).resolve(".git")).isDirectory();
	}

	@Test
	void patchThatDoesNotApplyIsAnInvalidPatchNamingTheFile() {
		assertThatThrownBy(() -> patchCheck.touchedFiles(experiment.id(), null, LR_DIFF.replace("-lr=0.01", "-lr=0.5")))
			.isInstanceOf(PatchCheck.InvalidPatchException.class)
			.hasMessageContaining("train.sh");
	}

	@Test
	void baseIsTheBestRunsCommitOnceThereIsOneUnlessACommitIsGiven() {
		long id = experiment.id().value();
		patchCheck.touchedFiles(experiment.id(), null, LR_DIFF);
		String imported = workspaces.headCommit(id);
		// A commit of the managed repository made as a run's would be; the run is committed to the database only
		// once finished, so the dispatcher never sees it queued.
		String commit = workspaces.prepareRun(id, 900_000 + id, imported, LR_DIFF).commit();
		Run best = new TransactionTemplate(transactions).execute(status -> {
			Run run = runs.save(Run.queue(experiment.id(), null, RunKind.BASELINE, Map.of("lr", 0.02)));
			run.claim("cpu-0", null, "test");
			run.started(1, null, commit, "test");
			run.finish(RunStatus.SUCCEEDED, 0, 1.0, null, null, "test");
			return runs.save(run);
		});
		// The judge hears of the finished run and makes the first success the best, with its commit.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> experiments.require(experiment.id()).bestRunId().equals(Optional.of(best.id().value())));
		String next = LR_DIFF.replace("-lr=0.01", "-lr=0.02").replace("+lr=0.02", "+lr=0.04");

		assertThat(patchCheck.touchedFiles(experiment.id(), null, next)).containsExactly("train.sh");
		assertThatThrownBy(() -> patchCheck.touchedFiles(experiment.id(), null, LR_DIFF))
			.isInstanceOf(PatchCheck.InvalidPatchException.class);
		assertThat(patchCheck.touchedFiles(experiment.id(), imported, LR_DIFF)).containsExactly("train.sh");
	}
}
