package dev.nightshift.experiments.database;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded cluster ask for passwords and gives the application a role of its own.
 * <ul>
 * <li>{@code pg_hba.conf} is rewritten at every start: SCRAM for every connection, no {@code trust} line.</li>
 * <li>The superuser's password is set in single-user mode ({@code postgres --single}, no network, before the
 * postmaster starts), because the library creates clusters with a passwordless {@code postgres} and no
 * password-less door may be opened to set it.</li>
 * <li>Then, over TCP as the superuser, the application role ({@code nightshift}: no superuser, no role or
 * database creation) is created and made owner of the application database and of everything in its
 * {@code public} schema. A home from before (data in database {@code postgres}, owned by {@code postgres})
 * keeps its data there: its ownership is handed over the same way, so Flyway can go on migrating it.</li>
 * </ul>
 * Passwords reach PostgreSQL only as SCRAM verifiers computed here, so no statement that carries one could
 * show a password in a server log.
 */
final class PostgresAuthentication {

	static final String APPLICATION_ROLE = "nightshift";
	static final String APPLICATION_DATABASE = "nightshift";
	private static final String LEGACY_DATABASE = "postgres";

	private static final Logger log = LoggerFactory.getLogger(PostgresAuthentication.class);

	static final String HBA = """
			# Written by Nightshift at every start of its embedded PostgreSQL; changes here are lost.
			# Every connection needs a password (SCRAM); no line lets anyone in without one.
			local   all   all                  scram-sha-256
			host    all   all   127.0.0.1/32   scram-sha-256
			host    all   all   ::1/128        scram-sha-256
			""";

	private PostgresAuthentication() {
	}

	static void writeHba(Path dataDirectory) {
		try {
			Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write pg_hba.conf in " + dataDirectory, ex);
		}
	}

	/**
	 * Sets the password of {@code postgres} with the server stopped, through single-user mode, started as the
	 * library starts its own programs (in a user namespace of its own where it runs as root).
	 */
	static void setSuperuserPassword(Path binDirectory, Path dataDirectory, String password) {
		List<String> command = new ArrayList<>();
		if (LinuxUtils.isUnshareAvailable()) {
			command.addAll(List.of("unshare", "-U"));
		}
		command.addAll(List.of(binDirectory.resolve("postgres").toString(), "--single", "-D", dataDirectory.toString(),
				"-c", "exit_on_error=on", "-c", "log_min_error_statement=panic", "postgres"));
		String statement = "ALTER ROLE postgres WITH PASSWORD '" + verifier(password) + "'\n";
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			try (OutputStream in = process.getOutputStream()) {
				in.write(statement.getBytes(StandardCharsets.UTF_8));
			}
			String output = drain(process.getInputStream());
			if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("PostgreSQL in single-user mode could not set the superuser's password: "
						+ output.replaceAll("SCRAM-SHA-256\\$\\S+", "<verifier>"));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run PostgreSQL in single-user mode", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while setting the superuser's password", ex);
		}
	}

	/**
	 * Creates or updates the application role and hands it its database; returns the database's name.
	 * @param superuser a connection to database {@code postgres} as {@code postgres}
	 */
	static String prepareApplication(Connection superuser, String applicationPassword) throws SQLException {
		try (Statement s = superuser.createStatement()) {
			String verifier = verifier(applicationPassword);
			if (exists(superuser, "select 1 from pg_roles where rolname = ?", APPLICATION_ROLE)) {
				s.execute("ALTER ROLE " + APPLICATION_ROLE + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
						+ " NOREPLICATION NOBYPASSRLS PASSWORD '" + verifier + "'");
			}
			else {
				s.execute("CREATE ROLE " + APPLICATION_ROLE + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
						+ " NOREPLICATION NOBYPASSRLS PASSWORD '" + verifier + "'");
			}
			if (exists(superuser, "select 1 from pg_database where datname = ?", APPLICATION_DATABASE)) {
				return APPLICATION_DATABASE;
			}
			if (exists(superuser, "select 1 from pg_tables where schemaname = 'public' and tablename = ?",
					"flyway_schema_history")) {
				// A home created before passwords: the data lives in database postgres, owned by postgres.
				log.info("Handing the existing data in database '{}' over to role '{}'", LEGACY_DATABASE,
						APPLICATION_ROLE);
				handOver(s, LEGACY_DATABASE);
				return LEGACY_DATABASE;
			}
			s.execute("CREATE DATABASE " + APPLICATION_DATABASE + " OWNER " + APPLICATION_ROLE + " ENCODING 'UTF8'");
			return APPLICATION_DATABASE;
		}
	}

	/**
	 * Makes the application role the owner of the database, its {@code public} schema and everything in it.
	 * {@code REASSIGN OWNED BY postgres} is refused for the bootstrap superuser, so each object is altered;
	 * sequences that belong to a column follow their table.
	 */
	private static void handOver(Statement s, String database) throws SQLException {
		s.execute("ALTER DATABASE " + database + " OWNER TO " + APPLICATION_ROLE);
		s.execute("ALTER SCHEMA public OWNER TO " + APPLICATION_ROLE);
		s.execute("""
				DO $$
				DECLARE r record;
				BEGIN
				  FOR r IN
				    SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
				    JOIN pg_namespace n ON n.oid = c.relnamespace
				    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
				      AND c.relowner <> 'nightshift'::regrole
				      AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
				               WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
				  LOOP
				    EXECUTE format('ALTER %s %s OWNER TO nightshift',
				      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
				        WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name);
				  END LOOP;
				  FOR r IN
				    SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
				    WHERE n.nspname = 'public' AND p.proowner <> 'nightshift'::regrole
				  LOOP
				    EXECUTE format('ALTER ROUTINE %s OWNER TO nightshift', r.name);
				  END LOOP;
				  FOR r IN
				    SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
				    WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r') AND t.typowner <> 'nightshift'::regrole
				  LOOP
				    EXECUTE format('ALTER TYPE %s OWNER TO nightshift', r.name);
				  END LOOP;
				END
				$$""");
	}

	private static boolean exists(Connection connection, String sql, String parameter) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement(sql)) {
			query.setString(1, parameter);
			try (ResultSet rs = query.executeQuery()) {
				return rs.next();
			}
		}
	}

	private static String verifier(String password) {
		return PasswordUtil.encodeScramSha256(password.toCharArray());
	}

	private static String drain(InputStream output) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		output.transferTo(buffer);
		return buffer.toString(StandardCharsets.UTF_8);
	}
}
