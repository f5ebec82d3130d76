package dev.nightshift.experiments.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import dev.nightshift.experiments.database.NightshiftHome;

/**
 * Who this server is among the servers on one database: an id kept in {@code NIGHTSHIFT_HOME/server-id}
 * (written once, so the same home is the same server after any restart) and the host it runs on. Runs record
 * the id of the server that claimed them; loops the id of the server that drives them.
 */
public final class ServerIdentity {

	static final String FILE = "server-id";

	private final String id;
	private final String host;
	private final Path home;

	private ServerIdentity(String id, String host, Path home) {
		this.id = id;
		this.host = host;
		this.home = home;
	}

	/** The identity kept in the home, created there the first time. */
	public static ServerIdentity of(NightshiftHome home) {
		Path file = home.home().resolve(FILE);
		try {
			Files.createDirectories(home.home());
			if (!Files.exists(file)) {
				Path scratch = home.home().resolve(FILE + ".new-" + UUID.randomUUID());
				Files.writeString(scratch, UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
				Files.move(scratch, file, StandardCopyOption.ATOMIC_MOVE);
			}
			String id = Files.readString(file, StandardCharsets.UTF_8).strip();
			if (!id.matches("[0-9a-fA-F-]{8,64}")) {
				throw new IllegalStateException(file + " does not hold a server id (" + id.length()
						+ " characters); remove it to get a new one");
			}
			return new ServerIdentity(id, hostName(), home.home());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the server id at " + file, ex);
		}
	}

	public String id() {
		return id;
	}

	public String host() {
		return host;
	}

	public Path home() {
		return home;
	}

	/** How people are told which server: host and home, then the id. */
	public String describe() {
		return host + ":" + home + " (" + id + ")";
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String env = System.getenv("HOSTNAME");
			return env == null || env.isBlank() ? "unknown-host" : env;
		}
	}
}
