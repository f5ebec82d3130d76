package dev.nightshift;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Nightshift server. It lives in the base package so that one component scan covers every module:
 * experiments, agent, scheduler and web.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NightshiftApplication {

	public static void main(String[] args) {
		SpringApplication.run(NightshiftApplication.class, args);
	}
}
