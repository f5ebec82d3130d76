package dev.nightshift.web;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;

import dev.nightshift.web.security.Accounts;
import dev.nightshift.web.security.Role;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** One account per role, created on first use, and the HTTP Basic credentials to act as each. */
@TestComponent
public class TestAccounts {

	public static final String PASSWORD = "password-for-tests";

	private final Accounts accounts;

	TestAccounts(Accounts accounts) {
		this.accounts = accounts;
	}

	public RequestPostProcessor admin() {
		return httpBasic("admin", "test-admin-password");
	}

	public RequestPostProcessor reviewer() {
		return as("test-reviewer", Role.REVIEWER);
	}

	public RequestPostProcessor viewer() {
		return as("test-viewer", Role.VIEWER);
	}

	private synchronized RequestPostProcessor as(String username, Role role) {
		if (accounts.find(username).isEmpty()) {
			accounts.create(username, PASSWORD, role, "system");
		}
		return httpBasic(username, PASSWORD);
	}
}
