package dev.nightshift.scheduler.execution;

import dev.nightshift.experiments.cluster.ServerIdentity;
import dev.nightshift.experiments.run.Run;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which active runs are this server's to take up again: those it claimed. A run claimed before servers had ids
 * (no owner) is taken by the first server that asks, by compare-and-set, so two servers starting on one database
 * never both take it. Runs of another server are left alone, live or dead; a dead server's are the
 * {@link DeadServerRuns}' to end.
 */
@Component
class RunOwnership {

	private final ServerIdentity server;
	private final JdbcClient jdbc;

	RunOwnership(ServerIdentity server, JdbcClient jdbc) {
		this.server = server;
		this.jdbc = jdbc;
	}

	boolean mine(Run run) {
		if (run.serverId().isPresent()) {
			return run.serverId().get().equals(server.id());
		}
		return jdbc.sql("update run set server_id = :me where id = :id and server_id is null")
			.param("me", server.id())
			.param("id", run.id().value())
			.update() == 1;
	}
}
