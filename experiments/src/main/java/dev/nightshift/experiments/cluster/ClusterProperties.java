package dev.nightshift.experiments.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of several servers sharing one database.
 *
 * @param heartbeat     how often a server writes its heartbeat (default 10 s)
 * @param serverTimeout a server whose heartbeat is older than this is dead: a live server marks its runs LOST and
 *                      queues their proposals again, once (default 2 min; well above the heartbeat)
 * @param loopLease     how long a loop stays with the server that drives it without a renewal; the lease is renewed
 *                      at every step and tick, and another server takes the loop over once it expired (default 30 s)
 * @param logTail       how many bytes of the end of each run's log the running server ships to the database, for
 *                      the other servers to show (default 64 KiB)
 * @param logShip       how often the running server ships the end of its runs' logs (default 2 s)
 */
@ConfigurationProperties("nightshift.cluster")
public record ClusterProperties(Duration heartbeat, Duration serverTimeout, Duration loopLease, Integer logTail,
		Duration logShip) {

	public ClusterProperties {
		heartbeat = positive("heartbeat", heartbeat, Duration.ofSeconds(10));
		serverTimeout = positive("server-timeout", serverTimeout, Duration.ofMinutes(2));
		loopLease = positive("loop-lease", loopLease, Duration.ofSeconds(30));
		logShip = positive("log-ship", logShip, Duration.ofSeconds(2));
		logTail = logTail == null ? 64 * 1024 : logTail;
		if (logTail < 1024) {
			throw new IllegalArgumentException("nightshift.cluster.log-tail must be at least 1024 bytes, was " + logTail);
		}
		if (serverTimeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("nightshift.cluster.server-timeout (" + serverTimeout
					+ ") must be at least twice nightshift.cluster.heartbeat (" + heartbeat + ")");
		}
	}

	private static Duration positive(String name, Duration value, Duration fallback) {
		Duration chosen = value == null ? fallback : value;
		if (chosen.isNegative() || chosen.isZero()) {
			throw new IllegalArgumentException("nightshift.cluster." + name + " must be positive, was " + chosen);
		}
		return chosen;
	}
}
