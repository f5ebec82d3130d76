package dev.nightshift.scheduler;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sandbox that code from proposals runs in.
 *
 * @param required     when true (the default), a run whose proposal carries a patch refuses to start where
 *                     bubblewrap is missing; false lets it run unsandboxed
 * @param allRuns      sandbox every run, not only those with a patch (default false)
 * @param visiblePaths folders shown read-only inside the sandbox although they lie under a hidden one
 *                     ({@code /root}, {@code /home}): a Python environment in a home folder, say
 */
@ConfigurationProperties("nightshift.sandbox")
public record SandboxProperties(Boolean required, Boolean allRuns, List<Path> visiblePaths) {

	public SandboxProperties {
		required = required == null || required;
		allRuns = allRuns != null && allRuns;
		visiblePaths = visiblePaths == null ? List.of() : List.copyOf(visiblePaths);
	}
}
