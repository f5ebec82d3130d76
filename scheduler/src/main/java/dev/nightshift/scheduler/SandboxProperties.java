package dev.nightshift.scheduler;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sandbox that code from proposals runs in.
 *
 * @param required when true (the default), a run whose proposal carries a patch refuses to start where
 *                 bubblewrap is missing; false lets it run unsandboxed
 * @param allRuns  sandbox every run, not only those with a patch (default false)
 */
@ConfigurationProperties("nightshift.sandbox")
public record SandboxProperties(Boolean required, Boolean allRuns) {

	public SandboxProperties {
		required = required == null || required;
		allRuns = allRuns != null && allRuns;
	}
}
