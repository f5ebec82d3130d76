package dev.nightshift.experiments.cluster;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes this server's heartbeat into the {@code server} table every {@code nightshift.cluster.heartbeat}, on a
 * thread of its own. The first beat is written when the application starts, before crash recovery and before
 * anything is dispatched, so a server that comes back is alive to the others before it looks at its runs. A beat
 * that fails (the database away for a moment) is logged and the next one tries again.
 */
@Component
public class ServerHeartbeat implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ServerHeartbeat.class);

	private final JdbcClient jdbc;
	private final ServerIdentity identity;
	private final ClusterProperties properties;
	private ScheduledExecutorService thread;

	ServerHeartbeat(JdbcClient jdbc, ServerIdentity identity, ClusterProperties properties) {
		this.jdbc = jdbc;
		this.identity = identity;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		jdbc.sql("""
				insert into server (id, host, home, started_at, heartbeat_at) values (:id, :host, :home, now(), now())
				on conflict (id) do update set host = excluded.host, home = excluded.home, started_at = now(),
				heartbeat_at = now()""")
			.param("id", identity.id())
			.param("host", identity.host())
			.param("home", identity.home().toString())
			.update();
		log.info("Server {} joined the database", identity.describe());
		thread = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread t = new Thread(task, "nightshift-heartbeat");
			t.setDaemon(true);
			return t;
		});
		long every = properties.heartbeat().toMillis();
		thread.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
	}

	private void beat() {
		try {
			jdbc.sql("update server set heartbeat_at = now() where id = :id").param("id", identity.id()).update();
		}
		catch (RuntimeException ex) {
			log.warn("Could not write the heartbeat; the next one tries again: {}", ex.getMessage());
		}
	}

	/** The servers other than this one whose last heartbeat is older than the server timeout. */
	public List<DeadServer> deadServers() {
		Instant cutoff = Instant.now().minus(properties.serverTimeout());
		return jdbc.sql("select id, host, home, heartbeat_at from server where id <> :me and heartbeat_at < :cutoff")
			.param("me", identity.id())
			.param("cutoff", Timestamp.from(cutoff))
			.query((rs, row) -> new DeadServer(rs.getString("id"), rs.getString("host"), rs.getString("home"),
					rs.getTimestamp("heartbeat_at").toInstant()))
			.list();
	}

	/** A server that stopped sending heartbeats. */
	public record DeadServer(String id, String host, String home, Instant lastHeartbeat) {

		public String describe() {
			return host + ":" + home + " (" + id + ")";
		}
	}

	@Override
	public synchronized void stop() {
		if (thread != null) {
			thread.shutdownNow();
			thread = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return thread != null;
	}

	/** Early among the lifecycle beans: the heartbeat starts before and stops after the rest. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}
}
