package dev.nightshift.web.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How failed sign-ins are throttled, per account and per client address.
 *
 * @param maxFailures failures (within {@code window} of each other) after which sign-ins are refused, default 10
 * @param window      a key with no failure for this long starts afresh, default 15 minutes
 * @param lock        how long the first lock lasts; each further failure after it doubles it, default 1 minute
 * @param maxLock     the longest lock, default 15 minutes
 * @param maxEntries  how many accounts and addresses are remembered at once (the least recently seen go first),
 *                    default 10,000
 */
@ConfigurationProperties("nightshift.security.sign-in")
public record SignInProperties(Integer maxFailures, Duration window, Duration lock, Duration maxLock,
		Integer maxEntries) {

	public SignInProperties {
		maxFailures = maxFailures == null ? 10 : maxFailures;
		window = window == null ? Duration.ofMinutes(15) : window;
		lock = lock == null ? Duration.ofMinutes(1) : lock;
		maxLock = maxLock == null ? Duration.ofMinutes(15) : maxLock;
		maxEntries = maxEntries == null ? 10_000 : maxEntries;
		if (maxFailures < 1) {
			throw new IllegalArgumentException("nightshift.security.sign-in.max-failures must be at least 1");
		}
		if (lock.isNegative() || lock.isZero() || maxLock.compareTo(lock) < 0) {
			throw new IllegalArgumentException(
					"nightshift.security.sign-in.lock must be positive and max-lock at least as long");
		}
		if (maxEntries < 1) {
			throw new IllegalArgumentException("nightshift.security.sign-in.max-entries must be at least 1");
		}
	}
}
