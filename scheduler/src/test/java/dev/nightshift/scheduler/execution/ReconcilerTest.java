package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.BestRunChanged;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.recovery.Reconciler;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.Verdict;
import dev.nightshift.scheduler.workspace.Workspaces;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stuck state written straight into the database, as a crash between a commit and its follow-up leaves it, is
 * repaired by the reconciler; running it again changes nothing.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class ReconcilerTest {

	private static final String BETTER_README = """
			--- a/README
			+++ b/README
			@@ -1 +1 @@
			-a test training program
			+a better training program
			""";

	@Autowired
	TrainingPrograms programs;

	@Autowired
	Reconciler reconciler;

	@Autowired
	SubmitProposal submit;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	RunRepository runs;

	@Autowired
	Workspaces workspaces;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void anApprovedProposalLeftWithoutARunIsQueuedAndRunsOnce() {
		Experiment experiment = programs.shellExperiment("echo 'val_loss: 1.0'", "1m", 0);
		Proposal proposal = submit.submit(new SubmitProposal.Command(experiment.id(), null, "Left behind?",
				new ProposalContent(Map.of("lr", 0.01), null, "a test", null), "human:test"));
		// The approval committed; the server died before its listener queued the run.
		jdbc.sql("update proposal set status = 'APPROVED' where id = ?").param(proposal.id().value()).update();

		reconciler.reconcile();
		assertThat(runsOf(proposal)).hasSize(1);
		await().atMost(Duration.ofMinutes(1))
			.until(() -> proposals.require(proposal.id()).status() == ProposalStatus.DONE);

		reconciler.reconcile();
		assertThat(runsOf(proposal)).hasSize(1);
		assertThat(proposals.require(proposal.id()).status()).isEqualTo(ProposalStatus.DONE);
	}

	@Test
	void succeededRunsLeftWithoutTheirVerdictAreJudgedOnce() {
		Experiment experiment = programs.shellExperiment("echo 'val_loss: 1.0'", "1m", 0);
		RunId baseline = finishedQuietly(experiment, "BASELINE", 2.0);
		RunId replicate = finishedQuietly(experiment, "BASELINE", 2.0001);
		RunId candidate = finishedQuietly(experiment, "PROPOSAL", 1.0);

		reconciler.reconcile();
		assertThat(runs.require(baseline).verdict()).contains(Verdict.KEEP);
		assertThat(runs.require(replicate).verdict()).isEmpty();
		assertThat(runs.require(candidate).verdict()).contains(Verdict.KEEP);
		assertThat(programs.reload(experiment).bestRunId()).contains(candidate.value());
		List<Long> versions = versions(baseline, replicate, candidate);

		reconciler.reconcile();
		assertThat(versions(baseline, replicate, candidate)).isEqualTo(versions);
		assertThat(programs.reload(experiment).bestRunId()).contains(candidate.value());
	}

	@Test
	void aBestBranchLeftBehindItsBestRunIsMoved() {
		Experiment experiment = programs.shellExperiment("echo 'val_loss: 1.0'", "1m", 0);
		long id = experiment.id().value();
		workspaces.importSource(id, Path.of(experiment.spec().source()));
		String imported = workspaces.headCommit(id);
		RunId best = finishedQuietly(experiment, "PROPOSAL", 1.0);
		String commit = workspaces.prepareRun(id, best.value(), imported, BETTER_README).commit();
		// The verdict committed; the server died before the branch was moved.
		jdbc.sql("update run set commit_sha = ?, verdict = 'KEEP' where id = ?").params(commit, best.value()).update();
		jdbc.sql("update experiment set best_run_id = ? where id = ?").params(best.value(), id).update();
		assertThat(workspaces.bestCommit(id)).contains(imported);

		reconciler.reconcile();
		assertThat(workspaces.bestCommit(id)).contains(commit);

		reconciler.reconcile();
		assertThat(workspaces.bestCommit(id)).contains(commit);
	}

	@Test
	void aFollowUpWhoseListenerThrewIsResubmittedByTheReconcilerUntilItCompletes() {
		Experiment experiment = programs.shellExperiment("echo 'val_loss: 1.0'", "1m", 0);
		long id = experiment.id().value();
		workspaces.importSource(id, Path.of(experiment.spec().source()));
		String imported = workspaces.headCommit(id);
		RunId best = finishedQuietly(experiment, "PROPOSAL", 1.0);
		String commit = workspaces.prepareRun(id, best.value(), imported, BETTER_README).commit();
		// The run names a commit the repository does not have: git refuses to move the branch there.
		String missing = "0123456789abcdef0123456789abcdef01234567";
		jdbc.sql("update run set commit_sha = ?, verdict = 'KEEP' where id = ?").params(missing, best.value()).update();
		jdbc.sql("update experiment set best_run_id = ? where id = ?").params(best.value(), id).update();

		transactions.executeWithoutResult(tx -> events.publishEvent(new BestRunChanged(experiment.id(), best, missing)));
		await().atMost(Duration.ofMinutes(1)).until(() -> publication(missing), status -> "FAILED".equals(status));

		// What made it fail is gone; the publication is still FAILED until the reconciler resubmits it.
		jdbc.sql("update run set commit_sha = ? where id = ?").params(commit, best.value()).update();
		assertThat(publication(missing)).isEqualTo("FAILED");
		reconciler.reconcile();

		await().atMost(Duration.ofMinutes(1)).until(() -> publication(missing), status -> "COMPLETED".equals(status));
		assertThat(workspaces.bestCommit(id)).contains(commit);
	}

	/** The status of the one {@code move-best-branch} publication whose event carries {@code commit}. */
	private String publication(String commit) {
		return jdbc.sql("select status from event_publication where listener_id = 'move-best-branch'"
				+ " and serialized_event like ?")
			.param("%" + commit + "%")
			.query(String.class)
			.single();
	}

	private List<Long> runsOf(Proposal proposal) {
		return jdbc.sql("select id from run where proposal_id = ?").param(proposal.id().value()).query(Long.class).list();
	}

	private List<Long> versions(RunId... ids) {
		return java.util.Arrays.stream(ids)
			.map(run -> jdbc.sql("select version from run where id = ?").param(run.value()).query(Long.class).single())
			.toList();
	}

	/** A SUCCEEDED run written straight into the table, as if its events had been lost. */
	private RunId finishedQuietly(Experiment experiment, String kind, double objective) {
		return new RunId(jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, exit_code, queued_at, started_at, finished_at)
				values (?, ?, 'SUCCEEDED', '{}', ?, 0, now(), now(), now()) returning id""")
			.params(experiment.id().value(), kind, objective)
			.query(Long.class)
			.single());
	}
}
