package dev.nightshift.web.demo;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo experiment.
 *
 * @param enabled whether to register it at start when it does not exist yet (default true)
 * @param spec    its experiment file (default {@code examples/micro-gpt/nightshift.yaml}, relative to the
 *                server's working directory)
 */
@ConfigurationProperties("nightshift.demo")
public record DemoProperties(Boolean enabled, String spec) {

	public DemoProperties {
		enabled = enabled == null || enabled;
		spec = spec == null || spec.isBlank() ? "examples/micro-gpt/nightshift.yaml" : spec;
	}

	public Path specPath() {
		return Path.of(spec);
	}
}
