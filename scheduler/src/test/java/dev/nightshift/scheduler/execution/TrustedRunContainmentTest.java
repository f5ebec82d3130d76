package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import dev.nightshift.scheduler.sandbox.SandboxUser;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * A trusted run (the experiment's imported code, not sandboxed) is still contained: a grandchild that leaves
 * the run's session and clears its environment, escaping both the session and the cookie search, dies with
 * the run, whether it is cancelled, times out or ends by itself.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class TrustedRunContainmentTest {

	private static final String ESCAPE = """
			echo "uid=$(id -u)"
			setsid env -i sh -c 'sleep 600; : %s' &
			echo started
			sleep 600
			""";

	@Autowired
	TrainingPrograms programs;

	@Autowired
	CancelRun cancel;

	@Autowired
	SandboxSupport support;

	@BeforeEach
	void containmentWorksHere() {
		assumeTrue(support.containment(), "bubblewrap cannot contain runs here: " + support.detail());
	}

	@Test
	void grandchildThatLeftTheSessionAndClearedItsEnvironmentDiesWhenTheRunIsCancelled() {
		String word = "escapee-" + UUID.randomUUID();
		Proposal proposal = programs.approve(programs.shellExperiment(ESCAPE.formatted(word), "10m", 0),
				Map.of("lr", 0.01), null);
		Run running = await().atMost(Duration.ofMinutes(2)).until(() -> programs.runOf(proposal),
				run -> run != null && run.status() == RunStatus.RUNNING);
		await().atMost(Duration.ofMinutes(1)).until(() -> !RunProcesses.withWord(word).isEmpty());

		cancel.cancel(running.id(), "human:test");

		Run run = programs.finishedRunOf(proposal);
		assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
		await().atMost(Duration.ofSeconds(10)).until(() -> RunProcesses.withWord(word).isEmpty());
		assertTrusted(run);
	}

	@Test
	void grandchildThatLeftTheSessionAndClearedItsEnvironmentDiesWhenTheRunTimesOut() {
		String word = "escapee-" + UUID.randomUUID();
		Proposal proposal = programs.approve(programs.shellExperiment(ESCAPE.formatted(word), "3s", 0),
				Map.of("lr", 0.01), null);
		await().atMost(Duration.ofMinutes(2)).until(() -> !RunProcesses.withWord(word).isEmpty());

		Run run = programs.finishedRunOf(proposal);

		assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
		await().atMost(Duration.ofSeconds(10)).until(() -> RunProcesses.withWord(word).isEmpty());
		assertTrusted(run);
	}

	@Test
	void grandchildThatLeftTheSessionAndClearedItsEnvironmentDiesWhenTheRunEndsByItself() {
		String word = "escapee-" + UUID.randomUUID();
		// The run ends at once, successfully, but only once its escaped grandchild is up and sleeping.
		String program = """
				echo "uid=$(id -u)"
				setsid env -i sh -c 'echo up > grandchild.up; sleep 600; : %s' &
				while [ ! -s grandchild.up ]; do sleep 0.1; done
				echo started
				echo "val_loss: 1.0"
				""".formatted(word);
		Proposal proposal = programs.approve(programs.shellExperiment(program, "10m", 0), Map.of("lr", 0.01), null);

		Run run = programs.finishedRunOf(proposal);

		assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
		await().atMost(Duration.ofSeconds(10)).until(() -> RunProcesses.withWord(word).isEmpty());
		assertTrusted(run);
	}

	/** The run was the trusted kind, with the server's user, not the sandbox's. */
	private void assertTrusted(Run run) {
		String log = programs.log(run.id());
		assertThat(log).contains("started");
		if (SandboxUser.serverIsRoot()) {
			assertThat(log).contains("uid=0");
		}
	}
}
