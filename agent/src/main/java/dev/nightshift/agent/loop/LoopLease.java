package dev.nightshift.agent.loop;

import dev.nightshift.experiments.cluster.ClusterProperties;
import dev.nightshift.experiments.cluster.ServerIdentity;
import dev.nightshift.experiments.loop.LoopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which server drives a loop, when several share the database: the one holding the loop's lease
 * ({@code research_loop.owner_server_id} until {@code lease_until}). A server takes a loop whose lease is free
 * or expired by compare-and-set, so of two servers at most one gets it; it renews the leases it holds on every
 * tick of its own, independent of the loop's thread (a step waiting a minute for a model keeps its lease), and
 * gives them up when it stops. A server that dies stops renewing, and another takes the loop once the lease
 * ({@code nightshift.cluster.loop-lease}) ran out. The database's clock decides, so servers' clocks may differ.
 */
@Component
class LoopLease {

	private final JdbcClient jdbc;
	private final ServerIdentity server;
	private final ClusterProperties properties;

	LoopLease(JdbcClient jdbc, ServerIdentity server, ClusterProperties properties) {
		this.jdbc = jdbc;
		this.server = server;
		this.properties = properties;
	}

	/** Takes or renews the loop's lease; false when another server holds it. */
	boolean hold(LoopId loop) {
		return jdbc.sql("""
				update research_loop set owner_server_id = :me, lease_until = now() + make_interval(secs => :secs)
				where id = :id and (owner_server_id = :me or owner_server_id is null or lease_until is null
				                    or lease_until < now())""")
			.param("me", server.id())
			.param("secs", seconds())
			.param("id", loop.value())
			.update() == 1;
	}

	/** Renews every lease this server holds on a loop that is not over. */
	void renewHeld() {
		jdbc.sql("""
				update research_loop set lease_until = now() + make_interval(secs => :secs)
				where owner_server_id = :me and status in ('RUNNING', 'PAUSED') and lease_until >= now()""")
			.param("me", server.id())
			.param("secs", seconds())
			.update();
	}

	/** Gives up every lease this server holds, so another server takes its loops at once. */
	void releaseAll() {
		jdbc.sql("update research_loop set lease_until = null where owner_server_id = :me")
			.param("me", server.id())
			.update();
	}

	private double seconds() {
		return properties.loopLease().toMillis() / 1000.0;
	}
}
