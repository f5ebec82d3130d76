package dev.nightshift.experiments.experiment;

import java.nio.file.Path;

import dev.nightshift.experiments.database.NightshiftHome;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The {@link SourceRoots} that registration and import check sources against. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SourcesProperties.class, NightshiftHome.class })
class SourcesConfiguration {

	/**
	 * Relative sources resolve against the scheduler's {@code nightshift.scheduler.source-root}; the scheduler
	 * module owns that setting and this module may not depend on it, so it is read by name here.
	 */
	@Bean
	SourceRoots sourceRoots(SourcesProperties properties, NightshiftHome home, Environment environment) {
		Path sourceRoot = Path.of(environment.getProperty("nightshift.scheduler.source-root", ""));
		return new SourceRoots(sourceRoot, properties.allowedRootPaths(), home.home());
	}
}
