package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.workspace.Workspaces;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The next queued run is checked out while both slots are busy; its claim starts it on that checkout when its
 * code is still what the claim would choose, and on a fresh checkout of the new code when the best moved on
 * meanwhile; a checkout prepared for a run cancelled in the queue is removed with its branch.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class WorkspacePrefetchTest {

	private static final String BETTER_README = """
			--- a/README
			+++ b/README
			@@ -1 +1 @@
			-a test training program
			+a better training program
			""";

	/** Marks the checkout that was prepared ahead: a fresh checkout of the run's commit would not hold it. */
	private static final String MARK = "prepared-ahead";

	@Autowired
	TrainingPrograms programs;

	@Autowired
	NightshiftHome home;

	@Autowired
	Workspaces workspaces;

	@Autowired
	CancelRun cancel;

	@Autowired
	JdbcClient jdbc;

	private Path gates;

	private Experiment experiment;

	@BeforeEach
	void twoRunsHoldBothSlots() throws IOException {
		gates = Files.createTempDirectory(Files.createDirectories(Path.of("target", "gates")).toAbsolutePath(), "gates",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		// The two runs that hold the slots wait for the gate named by their width; then each run shows its README
		// and the files of its checkout. The third never waits: it starts only once a slot is free, and on code a
		// proposal wrote it runs in the sandbox, which may not see the gates (a checkout under /tmp, as in a
		// clone there, is behind the sandbox's own /tmp).
		experiment = programs.shellExperiment("""
				while [ "$WIDTH" != 3 ] && [ ! -e %s/$WIDTH ]; do sleep 0.05; done
				cat README
				ls
				echo "val_loss: 1.0"
				""".formatted(gates), "2m", 0);
		Proposal first = programs.approve(experiment, Map.of("width", 1), null);
		Proposal second = programs.approve(experiment, Map.of("width", 2), null);
		await().atMost(Duration.ofMinutes(2)).until(() -> running(first) && running(second));
	}

	@Test
	void nextRunStartsOnTheCheckoutPreparedWhileTheSlotsWereBusy() throws IOException {
		Proposal next = programs.approve(experiment, Map.of("width", 3), null);
		Run queued = await().atMost(Duration.ofMinutes(2)).until(() -> programs.runOf(next), r -> r != null);
		Path checkout = awaitCheckout(queued);
		assertThat(programs.runOf(next).status()).isEqualTo(RunStatus.QUEUED);
		Files.writeString(checkout.resolve(MARK), "");

		openGates(1, 2, 3);
		Run run = programs.finishedRunOf(next);
		assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(programs.log(run.id())).contains(MARK).contains("a test training program");
		assertThat(run.commit()).contains(workspaces.headCommit(experiment.id().value()));
	}

	@Test
	void checkoutPreparedBeforeTheBestMovedOnIsReplacedByTheNewBestsCode() throws IOException {
		Proposal next = programs.approve(experiment, Map.of("width", 3), null);
		Run queued = await().atMost(Duration.ofMinutes(2)).until(() -> programs.runOf(next), r -> r != null);
		Path checkout = awaitCheckout(queued);
		Files.writeString(checkout.resolve(MARK), "");
		String better = keepBetterReadme();

		openGates(1, 2, 3);
		Run run = programs.finishedRunOf(next);
		assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(run.commit()).contains(better);
		assertThat(programs.log(run.id())).contains("a better training program").doesNotContain(MARK);
		assertThat(git("rev-parse", "nightshift/run-" + run.id())).isEqualTo(better);
	}

	@Test
	void checkoutPreparedForARunCancelledInTheQueueIsRemovedWithItsBranch() throws IOException {
		Proposal next = programs.approve(experiment, Map.of("width", 3), null);
		Run queued = await().atMost(Duration.ofMinutes(2)).until(() -> programs.runOf(next), r -> r != null);
		Path checkout = awaitCheckout(queued);
		assertThat(git("branch", "--list", "nightshift/run-" + queued.id())).isNotEmpty();

		assertThat(cancel.cancel(queued.id(), "human:test")).isEqualTo(CancelRun.Result.CANCELLED);

		await().atMost(Duration.ofMinutes(1)).until(() -> !Files.exists(checkout));
		assertThat(git("branch", "--list", "nightshift/run-" + queued.id())).isEmpty();
		openGates(1, 2);
	}

	private boolean running(Proposal proposal) {
		Run run = programs.runOf(proposal);
		return run != null && run.status() == RunStatus.RUNNING;
	}

	private Path awaitCheckout(Run run) {
		Path checkout = home.runsDirectory().resolve(run.id().toString()).resolve("work");
		await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(checkout.resolve(".git")));
		return checkout;
	}

	/** A run with a patch becomes the best, as a KEEP verdict makes it; returns its commit. */
	private String keepBetterReadme() {
		long id = experiment.id().value();
		long best = jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, exit_code, queued_at, started_at, finished_at)
				values (?, 'PROPOSAL', 'SUCCEEDED', '{}', 0.5, 0, now(), now(), now()) returning id""")
			.param(id)
			.query(Long.class)
			.single();
		String commit = workspaces.prepareRun(id, best, workspaces.headCommit(id), BETTER_README).commit();
		jdbc.sql("update run set commit_sha = ?, verdict = 'KEEP' where id = ?").params(commit, best).update();
		jdbc.sql("update experiment set best_run_id = ? where id = ?").params(best, id).update();
		return commit;
	}

	private void openGates(int... widths) throws IOException {
		for (int width : widths) {
			Files.createFile(gates.resolve(Integer.toString(width)));
		}
	}

	private String git(String... args) throws IOException {
		Path repo = home.repositoriesDirectory().resolve(Long.toString(experiment.id().value()));
		String[] command = new String[args.length + 3];
		command[0] = "git";
		command[1] = "-C";
		command[2] = repo.toString();
		System.arraycopy(args, 0, command, 3, args.length);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
	}
}
