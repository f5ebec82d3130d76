package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.experiments.cluster.ServerIdentity;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalContent;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.recovery.Reconciler;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs left RUNNING by other servers on the same database, written straight into it: the run of a server silent
 * for longer than the server timeout is LOST with the reason and its proposal runs once more, here; the run of a
 * server that beats is left alone; a second reconciliation changes nothing.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class DeadServerRunsTest {

	@Autowired
	TrainingPrograms programs;

	@Autowired
	Reconciler reconciler;

	@Autowired
	SubmitProposal submit;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	ServerIdentity server;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aSilentServersRunIsLostAndRunsAgainOnceWhileALiveServersRunIsLeftAlone() {
		Experiment experiment = programs.shellExperiment("echo 'val_loss: 1.0'", "1m", 0);
		String dead = server("dead", "now() - interval '1 hour'");
		String alive = server("alive", "now() + interval '1 hour'");
		Proposal ofDead = scheduled(experiment, "Was it lost?");
		Proposal ofAlive = scheduled(experiment, "Is it left alone?");
		long deadRun = running(experiment, ofDead, dead);
		long aliveRun = running(experiment, ofAlive, alive);
		long aliveVersion = version(aliveRun);

		reconciler.reconcile();
		assertThat(text("select status from run where id = ?", deadRun)).isEqualTo("LOST");
		assertThat(text("select error from run where id = ?", deadRun)).contains("stopped sending heartbeats")
			.contains(dead);
		assertThat(text("select server_id from run where id = ?", deadRun)).isEqualTo(server.id());
		await().atMost(Duration.ofMinutes(2))
			.until(() -> proposals.require(ofDead.id()).status() == ProposalStatus.DONE);
		assertThat(runsOf(ofDead)).hasSize(2);
		assertThat(text("select status from run where id = ?", aliveRun)).isEqualTo("RUNNING");
		assertThat(version(aliveRun)).isEqualTo(aliveVersion);

		reconciler.reconcile();
		assertThat(runsOf(ofDead)).hasSize(2);
		assertThat(text("select server_id from run where id = ?", aliveRun)).isEqualTo(alive);
		assertThat(version(aliveRun)).isEqualTo(aliveVersion);
		// Left as the test found it: the other server's run ends, so no later test sees it active.
		jdbc.sql("update run set status = 'CANCELLED', finished_at = now() where id = ?").param(aliveRun).update();
	}

	private String server(String name, String heartbeat) {
		String id = UUID.randomUUID().toString();
		jdbc.sql("insert into server (id, host, home, started_at, heartbeat_at) values (?, ?, ?, now(), " + heartbeat + ")")
			.params(id, name + "-host", "/srv/" + name)
			.update();
		return id;
	}

	private Proposal scheduled(Experiment experiment, String question) {
		Proposal proposal = submit.submit(new SubmitProposal.Command(experiment.id(), null, question,
				new ProposalContent(Map.of("lr", 0.01), null, "a test", null), "human:test"));
		jdbc.sql("update proposal set status = 'SCHEDULED' where id = ?").param(proposal.id().value()).update();
		return proposal;
	}

	private long running(Experiment experiment, Proposal proposal, String server) {
		return jdbc.sql("""
				insert into run (experiment_id, proposal_id, kind, status, params, queued_at, started_at, server_id)
				values (?, ?, 'PROPOSAL', 'RUNNING', '{}', now(), now(), ?) returning id""")
			.params(experiment.id().value(), proposal.id().value(), server)
			.query(Long.class)
			.single();
	}

	private List<Long> runsOf(Proposal proposal) {
		return jdbc.sql("select id from run where proposal_id = ?").param(proposal.id().value()).query(Long.class).list();
	}

	private long version(long run) {
		return jdbc.sql("select version from run where id = ?").param(run).query(Long.class).single();
	}

	private String text(String sql, long id) {
		return jdbc.sql(sql).param(id).query(String.class).single();
	}
}
