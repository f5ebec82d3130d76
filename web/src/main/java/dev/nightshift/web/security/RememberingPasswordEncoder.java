package dev.nightshift.web.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A password encoder that remembers, for a few minutes, which password matched which stored hash. The API
 * uses HTTP Basic, so every request carries the password, and BCrypt, deliberately slow, took about 80 ms of
 * each request on a two-core machine. A remembered match is keyed by an HMAC, under a key that lives only in
 * this process, of the stored hash and the password: nothing in memory reveals a password, a changed password
 * (a new stored hash) is checked afresh, and a failed match is never remembered. The account itself (enabled,
 * role) is still read on every request.
 */
final class RememberingPasswordEncoder implements PasswordEncoder {

	static final Duration REMEMBER_FOR = Duration.ofMinutes(5);
	static final int MAX_ENTRIES = 1024;

	private final PasswordEncoder delegate;
	private final Clock clock;
	private final SecretKeySpec key;
	private final Map<String, Instant> matched = new LinkedHashMap<>(64, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
			return size() > MAX_ENTRIES;
		}
	};

	RememberingPasswordEncoder(PasswordEncoder delegate, Clock clock) {
		this.delegate = delegate;
		this.clock = clock;
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, "HmacSHA256");
	}

	@Override
	public String encode(CharSequence rawPassword) {
		return delegate.encode(rawPassword);
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		if (rawPassword == null || encodedPassword == null) {
			return delegate.matches(rawPassword, encodedPassword);
		}
		String id = fingerprint(rawPassword, encodedPassword);
		Instant now = clock.instant();
		synchronized (matched) {
			Instant until = matched.get(id);
			if (until != null && now.isBefore(until)) {
				return true;
			}
			matched.remove(id);
		}
		boolean matches = delegate.matches(rawPassword, encodedPassword);
		if (matches) {
			synchronized (matched) {
				matched.put(id, now.plus(REMEMBER_FOR));
			}
		}
		return matches;
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return delegate.upgradeEncoding(encodedPassword);
	}

	private String fingerprint(CharSequence rawPassword, String encodedPassword) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 0);
			mac.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(mac.doFinal());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
		}
	}
}
