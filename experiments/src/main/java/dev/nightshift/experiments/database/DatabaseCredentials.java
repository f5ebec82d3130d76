package dev.nightshift.experiments.database;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded PostgreSQL's two passwords: the superuser's ({@code postgres}, used only to set the database up
 * at start) and the application role's. Generated at first start and kept in a file only the server's user can
 * read ({@code 0600}), so a restart finds them again; never logged. {@link #toString()} hides them.
 *
 * @param superuserPassword   the password of {@code postgres}
 * @param applicationPassword the password of the application's role
 * @param createdNow          whether this start generated them (so the cluster does not know them yet)
 */
public record DatabaseCredentials(String superuserPassword, String applicationPassword, boolean createdNow) {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
	private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
	private static final String SUPERUSER = "superuser-password";
	private static final String APPLICATION = "application-password";

	/** Reads the file, or creates it with fresh random passwords when it is not there. */
	public static DatabaseCredentials loadOrCreate(Path file) {
		try {
			if (Files.isRegularFile(file)) {
				if (POSIX) {
					Files.setPosixFilePermissions(file, OWNER_ONLY);
				}
				Properties properties = new Properties();
				try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
					properties.load(reader);
				}
				String superuser = properties.getProperty(SUPERUSER);
				String application = properties.getProperty(APPLICATION);
				if (superuser != null && !superuser.isBlank() && application != null && !application.isBlank()) {
					return new DatabaseCredentials(superuser, application, false);
				}
			}
			DatabaseCredentials created = new DatabaseCredentials(generate(), generate(), true);
			created.write(file);
			return created;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the database credentials in " + file, ex);
		}
	}

	/** Written to a temporary file created {@code 0600}, then moved over the old one, so no reader sees half. */
	private void write(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		Path temporary = POSIX
				? Files.createTempFile(file.getParent(), ".db-credentials", ".tmp",
						PosixFilePermissions.asFileAttribute(OWNER_ONLY))
				: Files.createTempFile(file.getParent(), ".db-credentials", ".tmp");
		Properties properties = new Properties();
		properties.setProperty(SUPERUSER, superuserPassword);
		properties.setProperty(APPLICATION, applicationPassword);
		try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
			properties.store(writer, "Passwords of the embedded PostgreSQL, generated at first start. Keep private.");
		}
		Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static String generate() {
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	@Override
	public String toString() {
		return "DatabaseCredentials[passwords hidden]";
	}
}
