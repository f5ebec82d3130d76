package dev.nightshift.scheduler.execution;

import java.util.List;

import dev.nightshift.experiments.cluster.ServerHeartbeat;
import dev.nightshift.experiments.cluster.ServerHeartbeat.DeadServer;
import dev.nightshift.experiments.cluster.ServerIdentity;
import dev.nightshift.experiments.recovery.Repair;
import dev.nightshift.experiments.run.RunId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs left STARTING or RUNNING by a server that stopped sending heartbeats (older than
 * {@code nightshift.cluster.server-timeout}): their processes are on that server's machine, which no other server
 * can read, so they are LOST with that reason and their proposals queued again, once, as after a crash. Each run
 * is taken over by compare-and-set on its owner in the same transaction, so of two live servers repairing at
 * once only one records it.
 */
@Component
class DeadServerRuns implements Repair {

	private static final Logger log = LoggerFactory.getLogger(DeadServerRuns.class);

	private final ServerHeartbeat heartbeat;
	private final ServerIdentity server;
	private final JdbcClient jdbc;
	private final RunRecorder recorder;
	private final TransactionTemplate transactions;

	DeadServerRuns(ServerHeartbeat heartbeat, ServerIdentity server, JdbcClient jdbc, RunRecorder recorder,
			TransactionTemplate transactions) {
		this.heartbeat = heartbeat;
		this.server = server;
		this.jdbc = jdbc;
		this.recorder = recorder;
		this.transactions = transactions;
	}

	@Override
	public String name() {
		return "runs of servers that stopped sending heartbeats";
	}

	@Override
	public int repair() {
		int lost = 0;
		for (DeadServer dead : heartbeat.deadServers()) {
			List<Long> active = jdbc
				.sql("select id from run where server_id = :dead and status in ('STARTING', 'RUNNING') order by id")
				.param("dead", dead.id())
				.query(Long.class)
				.list();
			for (long id : active) {
				if (takeOver(dead, id)) {
					lost++;
				}
			}
		}
		return lost;
	}

	private boolean takeOver(DeadServer dead, long id) {
		String reason = "its server " + dead.describe() + " stopped sending heartbeats (last at " + dead.lastHeartbeat()
				+ "); its process is on that machine, which server " + server.describe() + " cannot read";
		return Boolean.TRUE.equals(transactions.execute(tx -> {
			int taken = jdbc.sql("""
					update run set server_id = :me
					where id = :id and server_id = :dead and status in ('STARTING', 'RUNNING')""")
				.param("me", server.id())
				.param("id", id)
				.param("dead", dead.id())
				.update();
			if (taken != 1) {
				return false;
			}
			log.warn("Run {}: LOST, {}", id, reason);
			recorder.lost(new RunId(id), reason);
			return true;
		}));
	}
}
