package dev.nightshift.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

	/**
	 * Freezes the whole cluster with SIGSTOP (the postmaster, whose pid is the first line of
	 * {@code postmaster.pid}, and every backend and helper process under it), as a database host that hangs:
	 * connections stay open and nothing answers. Closing the returned handle sends SIGCONT to the same processes.
	 */
	Paused pause() throws IOException, InterruptedException {
		String dataDirectory = JdbcClient.create(postgres.getPostgresDatabase())
			.sql("show data_directory")
			.query(String.class)
			.single();
		long postmaster = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).strip());
		List<String> pids = new ArrayList<>();
		pids.add(Long.toString(postmaster));
		ProcessHandle.of(postmaster)
			.orElseThrow(() -> new IllegalStateException("No postmaster with pid " + postmaster))
			.descendants()
			.forEach(process -> pids.add(Long.toString(process.pid())));
		signal("STOP", pids);
		return new Paused(pids);
	}

	/** A frozen cluster; {@link #close()} resumes it. */
	static final class Paused implements AutoCloseable {

		private final List<String> pids;

		private Paused(List<String> pids) {
			this.pids = List.copyOf(pids);
		}

		/** The processes stopped, postmaster first. */
		List<String> pids() {
			return pids;
		}

		@Override
		public void close() throws IOException, InterruptedException {
			signal("CONT", pids);
		}
	}

	/**
	 * Java has no call for SIGSTOP and SIGCONT; {@code kill(1)} sends them. A backend that ended since the
	 * processes were listed ("No such process") is no failure.
	 */
	private static void signal(String signal, List<String> pids) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
		command.addAll(pids);
		Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!kill.waitFor(30, TimeUnit.SECONDS)) {
			kill.destroyForcibly();
			throw new IllegalStateException("kill -" + signal + " " + pids + " did not return");
		}
		boolean onlyGone = output.lines().allMatch(line -> line.contains("No such process"));
		if (kill.exitValue() != 0 && !onlyGone) {
			throw new IllegalStateException("kill -" + signal + " " + pids + " failed: " + output);
		}
	}

	@Override
	public void close() throws IOException {
		postgres.close();
	}
}
