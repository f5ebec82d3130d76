package dev.nightshift.web.security;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;

/** The accounts in {@code app_user}; passwords are stored only as hashes. */
@Service
public class Accounts implements UserDetailsService {

	static final int MIN_PASSWORD_LENGTH = 8;

	/** BCrypt takes at most 72 bytes of a password. */
	static final int MAX_PASSWORD_BYTES = 72;

	private final JdbcClient jdbc;
	private final PasswordEncoder passwords;

	Accounts(JdbcClient jdbc, PasswordEncoder passwords) {
		this.jdbc = jdbc;
		this.passwords = passwords;
	}

	/** An account as anyone may see it: no hash. */
	public record Account(long id, String username, Role role, boolean enabled, String createdBy, Instant createdAt) {
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		return jdbc.sql("select username, password_hash, role, enabled from app_user where username = ?")
			.param(username)
			.query((rs, row) -> User.withUsername(rs.getString("username"))
				.password(rs.getString("password_hash"))
				.roles(rs.getString("role"))
				.disabled(!rs.getBoolean("enabled"))
				.build())
			.optional()
			.orElseThrow(() -> new UsernameNotFoundException("No account " + username));
	}

	/**
	 * @throws InvalidRequestException for a malformed name or a short password
	 * @throws ConflictException       when the name is taken
	 */
	public Account create(String username, String rawPassword, Role role, String createdBy) {
		if (username == null || !username.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
			throw new InvalidRequestException("username", "pattern",
					"use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
		}
		checkPassword("password", rawPassword);
		if (role == null) {
			throw new InvalidRequestException("role", "required", "give one of VIEWER, REVIEWER, ADMIN");
		}
		Instant now = Instant.now();
		try {
			long id = jdbc.sql("""
					insert into app_user (username, password_hash, role, created_by, created_at)
					values (?, ?, ?, ?, ?) returning id""")
				.params(username, passwords.encode(rawPassword), role.name(), createdBy, Timestamp.from(now))
				.query(Long.class)
				.single();
			return new Account(id, username, role, true, createdBy, now);
		}
		catch (DuplicateKeyException ex) {
			throw new ConflictException("An account named '" + username + "' already exists");
		}
	}

	/** The password rules: at least 8 characters, at most 72 UTF-8 bytes. */
	static void checkPassword(String field, String rawPassword) {
		if (rawPassword == null || rawPassword.length() < MIN_PASSWORD_LENGTH) {
			throw new InvalidRequestException(field, "too-short",
					"a password needs at least " + MIN_PASSWORD_LENGTH + " characters");
		}
		if (rawPassword.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			// BCrypt reads only the first 72 bytes: a longer password would be silently cut, and hashing a huge
			// one first would cost the server for nothing.
			throw new InvalidRequestException(field, "too-long",
					"a password may have at most " + MAX_PASSWORD_BYTES + " bytes (UTF-8); BCrypt ignores the rest");
		}
	}

	public List<Account> list() {
		return jdbc.sql("select id, username, role, enabled, created_by, created_at from app_user order by id")
			.query(Accounts::account)
			.list();
	}

	public Optional<Account> find(String username) {
		return jdbc.sql("select id, username, role, enabled, created_by, created_at from app_user where username = ?")
			.param(username)
			.query(Accounts::account)
			.optional();
	}

	private static Account account(ResultSet rs, int row) throws SQLException {
		return new Account(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")),
				rs.getBoolean("enabled"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
	}

	public boolean any() {
		return jdbc.sql("select exists (select 1 from app_user)").query(Boolean.class).single();
	}
}
