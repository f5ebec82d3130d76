package dev.nightshift.experiments.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * The library's PostgreSQL binaries, and where it unpacked them. The library unpacks its archive into
 * {@code <working directory>/PG-<md5 of the archive>} and offers no way to ask for that folder; this resolver
 * hands it the same archive and notes the digest as the library reads it, so that the server can run
 * {@code postgres --single} from the same folder before the postmaster starts.
 */
final class PostgresBinaries implements PgBinaryResolver {

	/** One instance, so the library unpacks and caches the binaries once per JVM, as with its own resolver. */
	static final PostgresBinaries INSTANCE = new PostgresBinaries();

	private volatile MessageDigest reading;
	private volatile String digest;

	private PostgresBinaries() {
	}

	@Override
	public InputStream getPgBinary(String system, String machineHardware) throws IOException {
		InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
		if (archive == null) {
			return null;
		}
		try {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			reading = md5;
			digest = null;
			return new DigestInputStream(archive, md5);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is part of every Java runtime", ex);
		}
	}

	/** The folder the library works in: its own default, unless {@code ot.epg.working-dir} says otherwise. */
	static Path workingDirectory() {
		return Path.of(System.getProperty("ot.epg.working-dir",
				Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
	}

	/** The {@code bin} folder of the unpacked binaries; known once the library has started a server with us. */
	synchronized Path binDirectory() {
		if (digest == null) {
			if (reading == null) {
				throw new IllegalStateException("The PostgreSQL binaries have not been unpacked yet");
			}
			digest = HexFormat.of().formatHex(reading.digest());
		}
		return workingDirectory().resolve("PG-" + digest).resolve("bin");
	}
}
