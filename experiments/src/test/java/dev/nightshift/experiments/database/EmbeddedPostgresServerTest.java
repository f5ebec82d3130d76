package dev.nightshift.experiments.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

	@TempDir
	Path home;

	private Path data() {
		return home.resolve("db");
	}

	private Path credentials() {
		return home.resolve("db-credentials");
	}

	@Test
	void dataSurvivesARestartOnTheSameDirectory() throws Exception {
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data(), credentials())) {
			execute(server, "create table survivor (name text)", "insert into survivor values ('kept')");
		}
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data(), credentials())) {
			assertThat(queryOne(server, "select name from survivor")).isEqualTo("kept");
		}
	}

	@Test
	void postmasterLeftRunningByAKilledServerIsStoppedAndTheDataIsStillThere() throws Exception {
		// Another JVM starts PostgreSQL, commits a row and halts without running any shutdown hook, as under
		// kill -9: its postmaster is left running on the data directory.
		Process crashed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), CrashingServer.class.getName(), home.toString())
			.inheritIO()
			.start();
		assertThat(crashed.waitFor()).isEqualTo(CrashingServer.HALTED);
		long orphanPid = Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).strip());
		assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).contains(true);

		try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start(data(), credentials())) {
			assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
			assertThat(queryOne(next, "select name from survivor")).isEqualTo("committed");
		}
	}

	/** The server that dies mid-flight. */
	static final class CrashingServer {

		static final int HALTED = 42;

		public static void main(String[] args) throws Exception {
			EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]).resolve("db"),
					Path.of(args[0]).resolve("db-credentials"));
			execute(server, "create table survivor (name text)", "insert into survivor values ('committed')");
			Runtime.getRuntime().halt(HALTED);
		}
	}

	private static void execute(EmbeddedPostgresServer server, String... sql) throws Exception {
		try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password()); Statement s = c.createStatement()) {
			for (String statement : sql) {
				s.execute(statement);
			}
		}
	}

	private static String queryOne(EmbeddedPostgresServer server, String sql) throws Exception {
		try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password()); Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}
}
