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

	/**
	 * Starts the server. A start that fails exits with status 1: Spring has logged why, and a thread some library
	 * left behind (the MCP SDK's session sweeper is not a daemon) must not keep a dead server looking alive to a
	 * supervisor, a port check or a script that waits for it.
	 */
	public static void main(String[] args) {
		try {
			SpringApplication.run(NightshiftApplication.class, args);
		}
		catch (RuntimeException failedStart) {
			System.exit(1);
		}
	}
}
