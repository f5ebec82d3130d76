package dev.nightshift.web.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers in one JVM, each on a database of its own, as the test suite keeps its applications: each server's
 * Quartz scheduler keeps to its own database, while the other runs and after it closed. (Quartz keeps connection
 * providers in a JVM-wide registry by the scheduler's name, the same on every server; before ServerJobStore, the
 * server started last took every scheduler over and, once closed, stopped them all.)
 */
class ServersInOneJvmTest {

	private static final Duration LONG = Duration.ofMinutes(2);

	private final List<ClusterNode> nodes = new ArrayList<>();

	@AfterEach
	void tearDown() {
		nodes.forEach(ClusterNode::close);
	}

	@Test
	void eachServersSchedulerKeepsToItsOwnDatabaseWhileAnotherRunsAndAfterItClosed() throws Exception {
		Path work = Files.createDirectories(Path.of("target", "one-jvm-" + UUID.randomUUID()).toAbsolutePath());
		TestDatabase.Connection oneDb = TestDatabase.another();
		TestDatabase.Connection otherDb = TestDatabase.another();
		ClusterNode one = start("one", work, oneDb);
		ClusterNode other = start("other", work, otherDb);

		// Both check in, each in its own database only, and each database's ticks fire.
		long oneCheckin = checkin(oneDb, one.schedulerId());
		long oneTick = reconcileTick(oneDb);
		await().atMost(LONG).until(() -> checkin(oneDb, one.schedulerId()) > oneCheckin && reconcileTick(oneDb) > oneTick);
		await().atMost(LONG).until(() -> checkin(otherDb, other.schedulerId()) > 0);
		assertThat(schedulers(oneDb)).containsExactly(one.schedulerId());
		assertThat(schedulers(otherDb)).containsExactly(other.schedulerId());

		// The server started last closes; the first one's scheduler goes on in its database.
		other.close();
		long afterClose = checkin(oneDb, one.schedulerId());
		long tickAfterClose = reconcileTick(oneDb);
		await().atMost(LONG)
			.until(() -> checkin(oneDb, one.schedulerId()) > afterClose && reconcileTick(oneDb) > tickAfterClose);
		assertThat(schedulers(oneDb)).containsExactly(one.schedulerId());
	}

	private ClusterNode start(String name, Path work, TestDatabase.Connection db) throws IOException {
		Map<String, String> settings = new HashMap<>();
		settings.put("nightshift.scheduler.cpu-slots", "1");
		settings.put("nightshift.recovery.tick", "1s");
		settings.put("nightshift.cluster.heartbeat", "1s");
		ClusterNode node = ClusterNode.start(name, Files.createDirectories(work.resolve(name)), db, work, settings);
		nodes.add(node);
		return node;
	}

	/** The scheduler's last check-in in {@code db}, 0 when it has none there. */
	private static long checkin(TestDatabase.Connection db, String scheduler) throws SQLException {
		List<String> found = query(db, "select last_checkin_time from qrtz_scheduler_state where instance_name = ?",
				scheduler);
		return found.isEmpty() ? 0 : Long.parseLong(found.get(0));
	}

	/** When the repair tick fired last in {@code db}'s trigger table (its previous fire time). */
	private static long reconcileTick(TestDatabase.Connection db) throws SQLException {
		List<String> found = query(db, "select prev_fire_time from qrtz_triggers where trigger_name = ?", "reconcile-tick");
		return found.isEmpty() ? 0 : Long.parseLong(found.get(0));
	}

	private static List<String> schedulers(TestDatabase.Connection db) throws SQLException {
		return query(db, "select instance_name from qrtz_scheduler_state order by instance_name");
	}

	private static List<String> query(TestDatabase.Connection db, String sql, String... params) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
				PreparedStatement s = c.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				s.setString(i + 1, params[i]);
			}
			try (ResultSet rs = s.executeQuery()) {
				while (rs.next()) {
					rows.add(rs.getString(1));
				}
			}
		}
		return rows;
	}
}
