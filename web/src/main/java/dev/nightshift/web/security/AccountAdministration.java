package dev.nightshift.web.security;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.NotFoundException;

/**
 * What an admin does to other accounts (enable or disable, change the role, reset the password) and what
 * everyone does to their own (change the password, knowing the old one). An admin never disables or demotes
 * their own account, so the last admin cannot lock everyone out. A reset password is generated here and
 * answered once; only its hash is stored.
 */
@Service
public class AccountAdministration {

	private final JdbcClient jdbc;
	private final PasswordEncoder passwords;
	private final Accounts accounts;

	AccountAdministration(JdbcClient jdbc, PasswordEncoder passwords, Accounts accounts) {
		this.jdbc = jdbc;
		this.passwords = passwords;
		this.accounts = accounts;
	}

	/**
	 * @throws NotFoundException       for an unknown account
	 * @throws InvalidRequestException when an admin would disable their own account
	 */
	@Transactional
	public Accounts.Account setEnabled(long id, boolean enabled, String admin) {
		Accounts.Account account = require(id);
		if (!enabled && account.username().equals(admin)) {
			throw new InvalidRequestException("enabled", "own-account", "you cannot disable your own account");
		}
		jdbc.sql("update app_user set enabled = ? where id = ?").params(enabled, id).update();
		return require(id);
	}

	/**
	 * @throws NotFoundException       for an unknown account
	 * @throws InvalidRequestException without a role, or when an admin would change their own role
	 */
	@Transactional
	public Accounts.Account setRole(long id, Role role, String admin) {
		Accounts.Account account = require(id);
		if (role == null) {
			throw new InvalidRequestException("role", "required", "give one of VIEWER, REVIEWER, ADMIN");
		}
		if (account.username().equals(admin) && role != account.role()) {
			throw new InvalidRequestException("role", "own-account", "you cannot change your own role");
		}
		jdbc.sql("update app_user set role = ? where id = ?").params(role.name(), id).update();
		return require(id);
	}

	/** A new, generated password for the account, answered this once. */
	@Transactional
	public String resetPassword(long id) {
		require(id);
		String password = generate();
		jdbc.sql("update app_user set password_hash = ? where id = ?").params(passwords.encode(password), id).update();
		return password;
	}

	/**
	 * @throws InvalidRequestException when the old password is wrong or the new one breaks the password rules
	 */
	@Transactional
	public void changeOwnPassword(String username, String oldPassword, String newPassword) {
		String hash = jdbc.sql("select password_hash from app_user where username = ?").param(username)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new NotFoundException("account", username));
		if (oldPassword == null || !passwords.matches(oldPassword, hash)) {
			throw new InvalidRequestException("oldPassword", "wrong", "the current password is not right");
		}
		Accounts.checkPassword("newPassword", newPassword);
		jdbc.sql("update app_user set password_hash = ? where username = ?")
			.params(passwords.encode(newPassword), username)
			.update();
	}

	private Accounts.Account require(long id) {
		return accounts.list().stream()
			.filter(a -> a.id() == id)
			.findFirst()
			.orElseThrow(() -> new NotFoundException("account", id));
	}

	static String generate() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
