package dev.nightshift.web.security;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the first admin when there is no account at all. Its password comes from
 * {@code NIGHTSHIFT_ADMIN_PASSWORD}, or is generated and printed once on standard output (never through the
 * logger, never stored but as a hash). Later starts leave existing accounts alone.
 */
@Component
class FirstAdmin implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

	private final Accounts accounts;
	private final SecurityProperties properties;
	private final PrintStream console;

	FirstAdmin(Accounts accounts, SecurityProperties properties) {
		this.accounts = accounts;
		this.properties = properties;
		this.console = System.out;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (accounts.any()) {
			return;
		}
		String given = properties.adminPassword();
		boolean generated = given == null || given.isEmpty();
		String password = generated ? generate() : given;
		accounts.create(properties.adminUsername(), password, Role.ADMIN, "system");
		if (generated) {
			console.println();
			console.println("  Nightshift created the first admin account.");
			console.println("    username: " + properties.adminUsername());
			console.println("    password: " + password);
			console.println("  This password is shown only this once. Set NIGHTSHIFT_ADMIN_PASSWORD to choose it.");
			console.println();
		}
		else {
			log.info("Created the first admin account '{}' with the password from NIGHTSHIFT_ADMIN_PASSWORD",
					properties.adminUsername());
		}
	}

	private static String generate() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
