package dev.nightshift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the tests of this JVM use, chosen once: the server at {@code NIGHTSHIFT_TEST_DB_URL}
 * when set (with {@code NIGHTSHIFT_TEST_DB_USER} and {@code NIGHTSHIFT_TEST_DB_PASSWORD}), a Testcontainers
 * container when a Docker engine answers, the embedded PostgreSQL otherwise. Each JVM gets a database of its
 * own on that server, so test runs never see each other's rows.
 */
public final class TestDatabase {

	/** How to connect. */
	public record Connection(String url, String username, String password, String source) {
	}

	private static Connection connection;

	private static Connection server;

	private TestDatabase() {
	}

	public static synchronized Connection get() {
		if (connection == null) {
			connection = createDatabase(server());
		}
		return connection;
	}

	/** A fresh database of its own on the same server, for a test whose application must not share one. */
	public static synchronized Connection another() {
		return createDatabase(server());
	}

	private static Connection server() {
		if (server == null) {
			server = startServer();
		}
		return server;
	}

	private static Connection startServer() {
		String url = System.getenv("NIGHTSHIFT_TEST_DB_URL");
		if (url != null && !url.isBlank()) {
			return new Connection(url, env("NIGHTSHIFT_TEST_DB_USER", "postgres"), env("NIGHTSHIFT_TEST_DB_PASSWORD", ""),
					"NIGHTSHIFT_TEST_DB_URL");
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
			container.start();
			return new Connection(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
					"testcontainers");
		}
		try {
			Path data = Files.createTempDirectory("nightshift-test-pg");
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
			return new Connection(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the embedded PostgreSQL for tests", ex);
		}
	}

	private static Connection createDatabase(Connection server) {
		String name = "nightshift_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (java.sql.Connection admin = DriverManager.getConnection(server.url(), server.username(), server.password());
				Statement statement = admin.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create a test database on " + server.url() + " (" + server.source()
					+ "): " + ex.getMessage(), ex);
		}
		String url = server.url().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
		return new Connection(url, server.username(), server.password(), server.source());
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError noDocker) {
			return false;
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return value == null ? fallback : value;
	}
}
