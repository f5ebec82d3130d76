package dev.nightshift.experiments.experiment;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where an experiment's {@code source} may be.
 *
 * @param allowedRoots the folders a source must lie in (after links are followed); default the server's
 *                     working directory (unless it is {@code /}) and the user's home. The scheduler's
 *                     {@code nightshift.scheduler.source-root}, against which relative sources resolve, is
 *                     one of them too (unless it is {@code /}).
 */
@ConfigurationProperties("nightshift.sources")
public record SourcesProperties(List<String> allowedRoots) {

	public SourcesProperties {
		if (allowedRoots == null || allowedRoots.isEmpty()) {
			Path workingDirectory = Path.of("").toAbsolutePath().normalize();
			String home = System.getProperty("user.home");
			allowedRoots = workingDirectory.getParent() == null ? List.of(home)
					: List.of(workingDirectory.toString(), home);
		}
		allowedRoots = List.copyOf(allowedRoots);
	}

	/** The roots as absolute paths; plain paths, not Spring resource locations. */
	public List<Path> allowedRootPaths() {
		return allowedRoots.stream().map(root -> Path.of(root).toAbsolutePath().normalize()).toList();
	}
}
