package dev.nightshift.web.demo;

import java.io.IOException;
import java.nio.file.Files;

import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.experiments.spec.SpecValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Registers the demo experiment ({@code examples/micro-gpt}) at start when it is not there yet. A missing
 * file is not an error: the server started from elsewhere simply has no demo.
 */
@Component
class DemoExperiment implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoExperiment.class);

	private final DemoProperties properties;
	private final ExperimentRepository experiments;
	private final RegisterExperiment register;

	DemoExperiment(DemoProperties properties, ExperimentRepository experiments, RegisterExperiment register) {
		this.properties = properties;
		this.experiments = experiments;
		this.register = register;
	}

	@Override
	public void run(ApplicationArguments args) throws IOException {
		if (!properties.enabled()) {
			return;
		}
		if (!Files.isRegularFile(properties.specPath())) {
			log.info("No demo experiment: {} is not there", properties.specPath().toAbsolutePath());
			return;
		}
		ExperimentSpec spec = new ExperimentSpecParser().parseYaml(Files.readString(properties.specPath()));
		if (experiments.existsByName(spec.name())) {
			return;
		}
		try {
			register.register(spec, "system");
		}
		catch (SpecValidationException refused) {
			// Say why and go on: a server started elsewhere must not fail over its demo.
			log.warn("No demo experiment: {}", refused.getMessage());
			return;
		}
		log.info("Registered the demo experiment '{}' from {}", spec.name(), properties.specPath());
	}
}
