package dev.nightshift.experiments.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL whose data directory persists under {@code NIGHTSHIFT_HOME/db}. The cluster is created
 * on first start and reused afterwards. It listens on 127.0.0.1 only and asks every connection for a password
 * (see {@link PostgresAuthentication}); the application connects as a role that is no superuser. A postmaster orphaned by a server that was killed is shut down
 * before the new one starts, so a crash never leaves the data unreachable.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final String SUPERUSER_PASSWORD_SET = "nightshift-password-set";

	private static final Duration ORPHAN_SHUTDOWN_WAIT = Duration.ofSeconds(30);

	private final EmbeddedPostgres postgres;
	private final String database;
	private final DatabaseCredentials credentials;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database, DatabaseCredentials credentials) {
		this.postgres = postgres;
		this.database = database;
		this.credentials = credentials;
	}

	/**
	 * Starts PostgreSQL on a free local port with its data in {@code dataDirectory} and its passwords in
	 * {@code credentialsFile} (created {@code 0600} at first start); the caller must hold the {@link HomeLock}
	 * of the home that contains them. A cluster from before passwords is converted on the way.
	 */
	public static EmbeddedPostgresServer start(Path dataDirectory, Path credentialsFile) {
		try {
			Files.createDirectories(dataDirectory);
			stopOrphanedPostmaster(dataDirectory);
			DatabaseCredentials credentials = DatabaseCredentials.loadOrCreate(credentialsFile);
			// Absent in a new cluster and in one from before passwords; written once postgres has its password.
			Path passwordSet = dataDirectory.resolve(SUPERUSER_PASSWORD_SET);
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setPgBinaryResolver(PostgresBinaries.INSTANCE)
				.setOverrideWorkingDirectory(PostgresBinaries.workingDirectory().toFile())
				.setPGStartupWait(Duration.ofSeconds(60))
				// Runs after initdb and before the postmaster starts: no connection without a password, ever.
				.setDataDirectoryCustomizer(data -> {
					PostgresAuthentication.writeHba(data.toPath());
					if (credentials.createdNow() || !Files.exists(passwordSet)) {
						PostgresAuthentication.setSuperuserPassword(PostgresBinaries.INSTANCE.binDirectory(),
								data.toPath(), credentials.superuserPassword());
						try {
							Files.writeString(passwordSet, "The superuser's password is in the credentials file.\n");
						}
						catch (IOException ex) {
							throw new UncheckedIOException(ex);
						}
					}
				})
				.setConnectConfig("password", credentials.superuserPassword())
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setServerConfig("password_encryption", "scram-sha-256")
				// The library's defaults suit throw-away test databases (-F, synchronous_commit=off); this one
				// keeps a night of research, so every commit reaches the disk.
				.setServerConfig("fsync", "on")
				.setServerConfig("synchronous_commit", "on")
				.setServerConfig("full_page_writes", "on")
				.setServerConfig("max_connections", "100")
				.start();
			String database;
			try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
				database = PostgresAuthentication.prepareApplication(superuser, credentials.applicationPassword());
			}
			catch (SQLException ex) {
				postgres.close();
				throw new IllegalStateException("Cannot prepare the application's role in the embedded PostgreSQL: "
						+ ex.getMessage(), ex);
			}
			log.info("Embedded PostgreSQL started on 127.0.0.1:{} with data in {}; the application connects to"
					+ " database '{}' as role '{}'", postgres.getPort(), dataDirectory, database,
					PostgresAuthentication.APPLICATION_ROLE);
			return new EmbeddedPostgresServer(postgres, database, credentials);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory, ex);
		}
	}

	/** The JDBC URL of the application's database; connect as {@link #username()} with {@link #password()}. */
	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
	}

	/** The application's role: it owns the application database, and is no superuser. */
	public String username() {
		return PostgresAuthentication.APPLICATION_ROLE;
	}

	public String password() {
		return credentials.applicationPassword();
	}

	public int port() {
		return postgres.getPort();
	}

	@Override
	public void close() {
		try {
			postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A postmaster still running on this data directory belongs to a server that died without stopping it
	 * (we hold the home lock, so no live server owns it). A fast shutdown lets it finish cleanly.
	 */
	private static void stopOrphanedPostmaster(Path dataDirectory) throws IOException {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		if (!Files.isRegularFile(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
		Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0))
			.flatMap(ProcessHandle::of)
			.filter(ProcessHandle::isAlive)
			.filter(EmbeddedPostgresServer::isPostgres);
		if (postmaster.isEmpty()) {
			return;
		}
		ProcessHandle process = postmaster.get();
		log.warn("Stopping PostgreSQL (pid {}) left running by a server that did not shut down", process.pid());
		signal(process.pid(), "INT");
		try {
			process.onExit().get(ORPHAN_SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception notYet) {
			process.destroyForcibly();
		}
	}

	private static Optional<Long> parsePid(String line) {
		try {
			return Optional.of(Long.parseLong(line.strip()));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static boolean isPostgres(ProcessHandle process) {
		return process.info().command().map(command -> command.endsWith("postgres")).orElse(false);
	}

	private static void signal(long pid, String signal) throws IOException {
		try {
			new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
