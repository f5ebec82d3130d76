package dev.nightshift.web.health;

import dev.nightshift.scheduler.SandboxProperties;
import dev.nightshift.scheduler.sandbox.SandboxSupport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code sandbox} component of {@code /actuator/health}: what bubblewrap could do when the server started
 * (it is probed once). It is UP either way, with the answer in its details ({@code sandbox},
 * {@code containment}, {@code required}, {@code detail}; shown to signed-in users): a server without the
 * sandbox still serves its pages and runs the experiments' imported code, and a health check that failed would
 * stop the whole server in an orchestrator for the sake of one kind of run. Runs that need the missing sandbox
 * fail to start with a message saying so, and the server warns in its log at start.
 */
@Component("sandbox")
class SandboxHealthIndicator implements HealthIndicator {

	private final SandboxSupport support;

	private final SandboxProperties properties;

	SandboxHealthIndicator(SandboxSupport support, SandboxProperties properties) {
		this.support = support;
		this.properties = properties;
	}

	@Override
	public Health health() {
		return Health.up()
			.withDetail("sandbox", support.sandbox())
			.withDetail("containment", support.containment())
			.withDetail("required", properties.required())
			.withDetail("detail", support.detail())
			.build();
	}
}
