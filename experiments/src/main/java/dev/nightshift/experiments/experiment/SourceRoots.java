package dev.nightshift.experiments.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.spec.SpecValidationException;
import dev.nightshift.experiments.spec.SpecViolation;

/**
 * Decides whether an experiment's {@code source} may be imported. The server copies a source into its managed
 * repository, so a source naming a system folder would copy that folder ({@code /etc} with its {@code shadow}).
 * A source is resolved against the source root and followed through every link to where it really is; it
 * must then lie under one of the allowed roots, must neither lie in nor contain {@code NIGHTSHIFT_HOME}, and
 * must not be, contain or lie in a system folder ({@code /etc}, {@code /proc}, {@code /root}, ...) unless the
 * allowed root it lies under is itself inside that folder (the user's home is {@code /root} when the server
 * runs as root). Checked at registration and again when the source is imported, since a folder may have
 * become a link meanwhile.
 */
public class SourceRoots {

	static final String RULE = "source-root";

	private static final List<Path> SYSTEM_FOLDERS = List.of("/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/var",
			"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/run").stream().map(Path::of).toList();

	private final Path sourceRoot;
	private final List<Path> allowedRoots;
	private final Path home;

	/**
	 * @param sourceRoot   what relative sources resolve against; allowed too, unless it is {@code /}
	 * @param allowedRoots the other folders sources may lie in
	 * @param home         {@code NIGHTSHIFT_HOME}, never a source
	 */
	public SourceRoots(Path sourceRoot, List<Path> allowedRoots, Path home) {
		this.sourceRoot = sourceRoot.toAbsolutePath().normalize();
		List<Path> roots = new ArrayList<>(allowedRoots);
		if (this.sourceRoot.getParent() != null) {
			// A server started in / resolves against /, but that opens no folder by itself.
			roots.add(this.sourceRoot);
		}
		this.allowedRoots = roots.stream().map(SourceRoots::real).distinct().toList();
		this.home = real(home.toAbsolutePath().normalize());
	}

	/**
	 * Resolves a source as written in a specification.
	 * @throws SpecValidationException naming field {@code source} and rule {@code source-root} when it may not
	 *                                 be imported
	 */
	public Path resolve(String source) {
		return check(sourceRoot.resolve(source).normalize());
	}

	/**
	 * Checks a source already resolved to an absolute path, and returns it.
	 * @throws SpecValidationException naming field {@code source} and rule {@code source-root} when it may not
	 *                                 be imported
	 */
	public Path check(Path source) {
		Path real = real(source.toAbsolutePath().normalize());
		String shown = source.equals(real) ? source.toString() : source + " (really " + real + ")";
		if (real.getParent() == null) {
			throw refused(shown + " is the root of the file system");
		}
		if (real.startsWith(home) || home.startsWith(real)) {
			throw refused(shown + " lies in or contains NIGHTSHIFT_HOME (" + home + "), the server's own data");
		}
		Optional<Path> root = allowedRoots.stream()
			.filter(real::startsWith)
			.max(Comparator.comparingInt(Path::getNameCount));
		if (root.isEmpty()) {
			throw refused(shown + " lies outside the allowed source roots " + allowedRoots
					+ " (nightshift.sources.allowed-roots)");
		}
		for (Path system : SYSTEM_FOLDERS) {
			if (system.startsWith(real) || (real.startsWith(system) && !root.get().startsWith(system))) {
				throw refused(shown + " is or touches the system folder " + system);
			}
		}
		return source;
	}

	private static SpecValidationException refused(String why) {
		return new SpecValidationException(List.of(new SpecViolation("source", RULE,
				why + "; a source must be a project folder under nightshift.sources.allowed-roots")));
	}

	/**
	 * Where a path really is: its longest existing part with every link followed, plus the rest, so that a
	 * source not created yet is judged by the folder it would be created in.
	 */
	private static Path real(Path absolute) {
		Path existing = absolute;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			existing = existing.getParent();
		}
		if (existing == null) {
			return absolute;
		}
		try {
			return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
		}
		catch (IOException dangling) {
			// A link to nowhere: judged by its own place, and its import will fail anyway.
			return absolute;
		}
	}
}
