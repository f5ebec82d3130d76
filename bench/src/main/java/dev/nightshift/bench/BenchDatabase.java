package dev.nightshift.bench;

import java.io.IOException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A PostgreSQL 17 cluster of the benchmark's own (embedded, as the server's default), with the server's
 * durability settings rather than the library's test defaults: every commit reaches the disk. Each benchmark
 * creates the databases it needs in it.
 */
final class BenchDatabase implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private BenchDatabase(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	static BenchDatabase start() throws IOException {
		return new BenchDatabase(EmbeddedPostgres.builder()
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")
			.setServerConfig("max_connections", "100")
			.start());
	}

	/** Creates an empty database and returns its JDBC URL. */
	String create(String name) {
		if (!name.matches("[a-z_][a-z0-9_]*")) {
			throw new IllegalArgumentException("Not a plain database name: " + name);
		}
		JdbcClient.create(postgres.getPostgresDatabase()).sql("create database " + name).update();
		return url(name);
	}

	String url(String name) {
		return postgres.getJdbcUrl("postgres", name);
	}

	/** A small connection pool on the database, as the server's, with the Flyway migrations applied. */
	HikariDataSource migrated(String name) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url(name));
		config.setUsername("postgres");
		config.setMaximumPoolSize(4);
		HikariDataSource data = new HikariDataSource(config);
		Flyway.configure().dataSource(data).locations("classpath:db/migration").load().migrate();
		return data;
	}

	@Override
	public void close() throws IOException {
		postgres.close();
	}
}
