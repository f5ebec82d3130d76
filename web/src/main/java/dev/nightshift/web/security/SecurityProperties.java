package dev.nightshift.web.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the first admin account.
 *
 * @param adminUsername the first admin's name, default {@code admin}
 * @param adminPassword the first admin's password, from {@code NIGHTSHIFT_ADMIN_PASSWORD}; when empty a
 *                      random one is generated at first start and printed once
 */
@ConfigurationProperties("nightshift.security")
public record SecurityProperties(String adminUsername, String adminPassword) {

	public SecurityProperties {
		adminUsername = adminUsername == null || adminUsername.isBlank() ? "admin" : adminUsername;
	}
}
