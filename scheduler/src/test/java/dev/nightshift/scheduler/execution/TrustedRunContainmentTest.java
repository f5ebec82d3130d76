package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
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
 * the run, whether it is cancelled or times out.
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
	RunRepository runs;

	@Autowired
	CancelRun cancel;

	@Autowired
	NightshiftHome home;

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
		Run running = await().atMost(Duration.ofMinutes(2)).until(() -> runOf(proposal),
				run -> run != null && run.status() == RunStatus.RUNNING);
		await().atMost(Duration.ofMinutes(1)).until(() -> !RunProcesses.withWord(word).isEmpty());

		cancel.cancel(running.id(), "human:test");

		Run run = finishedRunOf(proposal);
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

		Run run = finishedRunOf(proposal);

		assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
		await().atMost(Duration.ofSeconds(10)).until(() -> RunProcesses.withWord(word).isEmpty());
		assertTrusted(run);
	}

	/** The run was the trusted kind, with the server's user, not the sandbox's. */
	private void assertTrusted(Run run) {
		String log = readLog(run);
		assertThat(log).contains("started");
		if (SandboxUser.serverIsRoot()) {
			assertThat(log).contains("uid=0");
		}
	}

	private String readLog(Run run) {
		try {
			return Files.readString(home.runsDirectory().resolve(run.id().toString()).resolve("run.log"));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private Run runOf(Proposal proposal) {
		return runs.findAll().stream()
			.filter(r -> r.proposalId().map(proposal.id()::equals).orElse(false))
			.findFirst()
			.orElse(null);
	}

	private Run finishedRunOf(Proposal proposal) {
		return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
			.until(() -> runOf(proposal), run -> run != null && run.status().isFinished());
	}
}
