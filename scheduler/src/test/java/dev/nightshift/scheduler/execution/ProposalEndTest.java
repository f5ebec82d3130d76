package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.recovery.Reconciler;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.scheduler.process.ProcessResult;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A proposal ends when the last of its runs ends, however they end together: a baseline's replicates finishing
 * at the same instant, or a proposal left SCHEDULED after all its runs ended, which the reconciler closes.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class ProposalEndTest {

	private static final ProcessResult SUCCEEDED = new ProcessResult(0, false, false, 1.0, true, false, false, "", 0);

	@Autowired
	TrainingPrograms programs;

	@Autowired
	SubmitProposal submit;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	RunRecorder recorder;

	@Autowired
	Reconciler reconciler;

	@Autowired
	JdbcClient jdbc;

	@Test
	void replicatesEndingAtTheSameInstantEndTheirProposal() throws Exception {
		Experiment experiment = programs.shellExperiment("echo 'val_loss: 1.0'", "1m", 0);
		for (int round = 0; round < 8; round++) {
			Proposal proposal = scheduled(experiment);
			RunId first = running(experiment, proposal);
			RunId second = running(experiment, proposal);
			CyclicBarrier together = new CyclicBarrier(2);
			CompletableFuture<?> one = CompletableFuture.runAsync(() -> finishAfter(together, first));
			CompletableFuture<?> other = CompletableFuture.runAsync(() -> finishAfter(together, second));
			CompletableFuture.allOf(one, other).join();

			assertThat(proposals.require(proposal.id()).status()).as("round %d", round).isEqualTo(ProposalStatus.DONE);
		}
	}

	@Test
	void aScheduledProposalWhoseRunsAllEndedIsClosedOnce() {
		Experiment experiment = programs.shellExperiment("echo 'val_loss: 1.0'", "1m", 0);
		Proposal ended = scheduled(experiment);
		finishedQuietly(experiment, ended, "SUCCEEDED", true);
		finishedQuietly(experiment, ended, "LOST", true);
		Proposal neverStarted = scheduled(experiment);
		finishedQuietly(experiment, neverStarted, "CANCELLED", false);
		Proposal stillRunning = scheduled(experiment);
		finishedQuietly(experiment, stillRunning, "SUCCEEDED", true);
		running(experiment, stillRunning);

		reconciler.reconcile();
		assertThat(proposals.require(ended.id()).status()).isEqualTo(ProposalStatus.DONE);
		assertThat(proposals.require(neverStarted.id()).status()).isEqualTo(ProposalStatus.WITHDRAWN);
		assertThat(proposals.require(stillRunning.id()).status()).isEqualTo(ProposalStatus.SCHEDULED);
		List<Long> versions = versions(ended, neverStarted, stillRunning);

		reconciler.reconcile();
		assertThat(versions(ended, neverStarted, stillRunning)).isEqualTo(versions);
	}

	private void finishAfter(CyclicBarrier together, RunId run) {
		try {
			together.await();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		recorder.finished(run, SUCCEEDED, "1m");
	}

	/** A baseline proposal written straight into the table as SCHEDULED, so that no run of the server's own is queued. */
	private Proposal scheduled(Experiment experiment) {
		Proposal proposal = submit.submit(new SubmitProposal.Command(experiment.id(), null, "Ends once?",
				new ProposalContent(Map.of("lr", 0.01), null, "a test", null), "human:test"));
		jdbc.sql("update proposal set status = 'SCHEDULED' where id = ?").param(proposal.id().value()).update();
		return proposal;
	}

	private RunId running(Experiment experiment, Proposal proposal) {
		return new RunId(jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, queued_at, started_at)
				values (?, ?, 'BASELINE', 'RUNNING', '{}', now(), now()) returning id""")
			.params(experiment.id().value(), proposal.id().value())
			.query(Long.class)
			.single());
	}

	private void finishedQuietly(Experiment experiment, Proposal proposal, String status, boolean started) {
		jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, queued_at, started_at, finished_at)
				values (?, ?, 'BASELINE', ?, '{}', now(), case when ? then now() end, now())""")
			.params(experiment.id().value(), proposal.id().value(), status, started)
			.update();
	}

	private List<Long> versions(Proposal... of) {
		return java.util.Arrays.stream(of)
			.map(proposal -> jdbc.sql("select version from proposal where id = ?").param(proposal.id().value())
				.query(Long.class).single())
			.toList();
	}
}
