package dev.nightshift.experiments.database;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The folder that holds the embedded database's data, the managed repositories and the run directories.
 *
 * @param home where it is; bound from {@code nightshift.home} or the environment variable
 *             {@code NIGHTSHIFT_HOME}, default {@code ~/.nightshift}
 */
@ConfigurationProperties("nightshift")
public record NightshiftHome(Path home) {

	public NightshiftHome {
		if (home == null) {
			home = Path.of(System.getProperty("user.home"), ".nightshift");
		}
		home = home.toAbsolutePath().normalize();
	}

	/** The embedded PostgreSQL's data directory. */
	public Path databaseDirectory() {
		return home.resolve("db");
	}

	/** The embedded PostgreSQL's passwords, readable by the server's user only. */
	public Path databaseCredentialsFile() {
		return home.resolve("db-credentials");
	}

	/** The managed git repositories, one per experiment. */
	public Path repositoriesDirectory() {
		return home.resolve("repos");
	}

	/** The run directories, one per run. */
	public Path runsDirectory() {
		return home.resolve("runs");
	}
}
