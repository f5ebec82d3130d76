package dev.nightshift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the application at the {@link TestDatabase} and gives it a fresh {@code NIGHTSHIFT_HOME}. Tests keep
 * their training programs in temporary folders, so those are allowed sources besides the module and the
 * repository it is in. Every
 * integration test uses the same initializer, so Spring's test context cache starts one context per module and
 * configuration. Each context gets a database of its own: a context the cache keeps alive is a live server, and
 * since servers on one database share its queue (any of them claims any queued run), a run queued by one test
 * would otherwise be claimed by another context and run in that context's home.
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestDatabase.Connection db = TestDatabase.another();
		try {
			String home = Files.createTempDirectory("nightshift-test-home").toString();
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("nightshift-test-database",
						Map.of("spring.datasource.url", db.url(), "spring.datasource.username", db.username(),
								"spring.datasource.password", db.password(), "nightshift.home", home,
								"nightshift.sources.allowed-roots", String.join(",", System.getProperty("java.io.tmpdir"),
										Path.of("..").toAbsolutePath().normalize().toString()))));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
