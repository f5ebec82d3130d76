package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.dispatch.DispatchTrigger;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * Sandboxing follows the code, not the way it came: once a proposal's patch is kept and becomes the best, the
 * parameters-only runs on it and the replicates of those runs execute that code, and run sandboxed too. Each
 * run tries to read {@code /etc/shadow} and the environment of a process outside holding a secret, to reach the
 * network, and to plant links at the run directory's log and exit file.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class ProposalCodeSandboxTest {

	private static final String SECRET = "sk-outside-" + UUID.randomUUID();

	@Autowired
	TrainingPrograms programs;

	@Autowired
	RunRepository runs;

	@Autowired
	DispatchTrigger trigger;

	@Autowired
	SandboxSupport support;

	Process outside;

	ServerSocket listener;

	@BeforeEach
	void aProcessWithASecretAndAListeningSocket() throws IOException {
		assumeTrue(support.sandbox(), "the sandbox cannot start here: " + support.detail());
		ProcessBuilder builder = new ProcessBuilder("sleep", "600");
		builder.environment().put("NIGHTSHIFT_TEST_SECRET", SECRET);
		outside = builder.start();
		listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
	}

	@AfterEach
	void stop() throws IOException {
		if (outside != null) {
			outside.destroyForcibly();
		}
		if (listener != null) {
			listener.close();
		}
	}

	@Test
	void keptPatchRunsSandboxedInLaterParameterRunsAndTheirReplicates() {
		assertThat(outsideEnvironment()).as("the secret is there to be read").contains(SECRET);
		Experiment experiment = programs.shellExperiment("echo \"val_loss: 1.0\"\n", "1m", 0);
		String patch = """
				train.sh
				<<<<<<< SEARCH
				echo "val_loss: 1.0"
				=======
				echo "uid=$(id -u)"
				head -c 300 /etc/shadow; echo "shadow=$?"
				ln -sf /etc/shadow ../run.log; echo "log-link=$?"
				ln -s /etc/passwd ../exit.tmp; echo "exit-link=$?"
				tr '\\0' '\\n' < /proc/%d/environ
				/usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', %d), 2); print('connected')"
				echo "val_loss: 0.5"
				>>>>>>> REPLACE
				""".formatted(outside.pid(), listener.getLocalPort());

		Run patched = programs.finishedRunOf(programs.approve(experiment, Map.of("lr", 0.01), patch));
		assertThat(patched.status()).isEqualTo(RunStatus.SUCCEEDED);
		await().atMost(Duration.ofMinutes(1))
			.until(() -> programs.reload(experiment).bestRunId(), best -> best.equals(Optional.of(patched.id().value())));

		Run parametersOnly = programs.finishedRunOf(programs.approve(experiment, Map.of("lr", 0.02), null));
		assertThat(parametersOnly.commit()).isEqualTo(patched.commit());

		Run replicate = runs.save(Run.replicate(parametersOnly));
		trigger.request();
		Run replicated = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
			.until(() -> runs.findById(replicate.id().value()).orElseThrow(), run -> run.status().isFinished());
		assertThat(replicated.commit()).isEqualTo(patched.commit());

		for (Run run : List.of(patched, parametersOnly, replicated)) {
			assertThat(run.status()).as("run %s", run.id()).isEqualTo(RunStatus.SUCCEEDED);
			assertThat(programs.log(run.id())).as("run %s", run.id())
				.contains("uid=65534", "shadow=1", "log-link=1", "exit-link=1", "val_loss: 0.5")
				.doesNotContain(SECRET, "connected", "root:");
		}
	}

	private String outsideEnvironment() {
		try {
			return new String(Files.readAllBytes(java.nio.file.Path.of("/proc/" + outside.pid() + "/environ")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
