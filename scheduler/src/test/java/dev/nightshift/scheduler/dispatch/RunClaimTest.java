package dev.nightshift.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/** Two schedulers that both saw a run QUEUED: only the first claim wins. */
@NightshiftIntegrationTest
class RunClaimTest {

	@Autowired
	RegisterExperiment register;

	@Autowired
	RunRepository runs;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	EntityManager entityManager;

	@Test
	void aRunClaimedByOneSchedulerCannotBeClaimedByAnother() {
		Experiment experiment = register.register(new ExperimentSpecParser().parseYaml("""
				name: claim-%d
				command: "true"
				objective: {metric: val_loss}
				budget: {run: 1m}
				""".formatted(System.nanoTime())), "human:test");
		// Saved and claimed in one transaction, so the live dispatcher never sees it queued.
		Run stale = transactions.execute(tx -> {
			Run queued = runs.saveAndFlush(Run.queue(experiment.id(), null, RunKind.BASELINE, Map.of()));
			entityManager.detach(queued);
			Run claimed = runs.require(queued.id());
			claimed.claim("cpu-0", "", "scheduler-a");
			runs.saveAndFlush(claimed);
			return queued;
		});

		// The second scheduler still holds the QUEUED copy it read earlier.
		assertThat(stale.status()).isEqualTo(RunStatus.QUEUED);
		stale.claim("cpu-1", "", "scheduler-b");
		assertThatThrownBy(() -> runs.save(stale)).isInstanceOf(ObjectOptimisticLockingFailureException.class);
		assertThat(runs.require(stale.id()).slot()).contains("cpu-0");
	}
}
