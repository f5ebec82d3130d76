package dev.nightshift.experiments.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, item 5: the embedded PostgreSQL took a passwordless superuser on 127.0.0.1, so any local user or
 * unsandboxed run could read and change everything and run programs through {@code COPY ... FROM PROGRAM}.
 * These tests try that against the real cluster the server starts.
 */
class EmbeddedPostgresAuthenticationTest {

	@TempDir
	Path home;

	@Test
	void theSuperuserWithoutAPasswordOrWithAWrongOneIsRefusedOnLocalhost() throws Exception {
		try (EmbeddedPostgresServer server = start()) {
			String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
			assertThatThrownBy(() -> DriverManager.getConnection(url + "?user=postgres").close())
				.isInstanceOf(SQLException.class);
			assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong-password").close())
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("password authentication failed");
			assertThatThrownBy(() -> DriverManager.getConnection(url, server.username(), "wrong-password").close())
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("password authentication failed");
			assertThat(Files.readString(home.resolve("db/pg_hba.conf"))).doesNotContain("trust");
		}
	}

	@Test
	void theApplicationRoleIsNoSuperuserAndCannotRunProgramsButOwnsItsSchema() throws Exception {
		try (EmbeddedPostgresServer server = start(); Connection app = connect(server); Statement s = app.createStatement()) {
			// Flyway, as the application role, creates the whole schema, Quartz's tables included.
			Flyway.configure()
				.dataSource(server.jdbcUrl(), server.username(), server.password())
				.locations("classpath:db/migration")
				.load()
				.migrate();
			assertThat(queryOne(s, "select rolsuper::text from pg_roles where rolname = current_user")).isEqualTo("false");
			s.execute("create table loot (line text)");
			assertThatThrownBy(() -> s.execute("copy loot from program 'id'"))
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("pg_execute_server_program");
			assertThatThrownBy(() -> s.executeQuery("select passwd from pg_shadow"))
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("permission denied");
			assertThat(queryOne(s, "select pg_get_userbyid(relowner) from pg_class where relname = 'qrtz_triggers'"))
				.isEqualTo("nightshift");
		}
	}

	@Test
	void theCredentialsFileIsTheOwnersOnlyAndARestartUsesTheSamePasswords() throws Exception {
		String password;
		try (EmbeddedPostgresServer server = start()) {
			password = server.password();
		}
		Path file = home.resolve("db-credentials");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		String before = Files.readString(file);
		try (EmbeddedPostgresServer again = start(); Connection app = connect(again)) {
			assertThat(again.password()).isEqualTo(password);
			assertThat(app.isValid(5)).isTrue();
		}
		assertThat(Files.readString(file)).isEqualTo(before);
	}

	@Test
	void aHomeCreatedWithoutPasswordsIsConvertedAndKeepsItsData() throws Exception {
		Path data = home.resolve("db");
		// The home as the old server left it: trust authentication, the data in database postgres, owned by postgres.
		try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start()) {
			Flyway.configure()
				.dataSource(old.getJdbcUrl("postgres", "postgres"), "postgres", "")
				.locations("classpath:db/migration")
				.load()
				.migrate();
			try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
				s.execute("insert into app_user (username, password_hash, role, created_by, created_at)"
						+ " values ('kept', 'x', 'ADMIN', 'system', now())");
			}
		}
		assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");

		try (EmbeddedPostgresServer server = start(); Connection app = connect(server); Statement s = app.createStatement()) {
			assertThat(queryOne(s, "select username from app_user")).isEqualTo("kept");
			s.execute("insert into app_user (username, password_hash, role, created_by, created_at)"
					+ " values ('new', 'x', 'VIEWER', 'system', now())");
			assertThat(queryOne(s, "select rolsuper::text from pg_roles where rolname = current_user")).isEqualTo("false");
			assertThat(Flyway.configure()
				.dataSource(server.jdbcUrl(), server.username(), server.password())
				.locations("classpath:db/migration")
				.load()
				.validateWithResult()
				.validationSuccessful).isTrue();
			assertThatThrownBy(() -> DriverManager
				.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres?user=postgres").close())
				.isInstanceOf(SQLException.class);
			assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
		}
	}

	@Test
	void noPasswordEverReachesTheLog() throws Exception {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ListAppender<ILoggingEvent> captured = new ListAppender<>();
		captured.start();
		root.addAppender(captured);
		Properties passwords = new Properties();
		try {
			try (EmbeddedPostgresServer server = start()) {
				assertThatThrownBy(() -> DriverManager
					.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres", "postgres", "guess")
					.close()).isInstanceOf(SQLException.class);
			}
			try (var reader = Files.newBufferedReader(home.resolve("db-credentials"))) {
				passwords.load(reader);
			}
		}
		finally {
			root.detachAppender(captured);
		}
		assertThat(captured.list).isNotEmpty();
		assertThat(passwords.stringPropertyNames()).hasSize(2);
		for (String name : passwords.stringPropertyNames()) {
			String password = passwords.getProperty(name);
			assertThat(captured.list).noneMatch(event -> event.getFormattedMessage().contains(password));
		}
	}

	private EmbeddedPostgresServer start() {
		return EmbeddedPostgresServer.start(home.resolve("db"), home.resolve("db-credentials"));
	}

	private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
		return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
	}

	private static String queryOne(Statement s, String sql) throws SQLException {
		try (ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}
}
