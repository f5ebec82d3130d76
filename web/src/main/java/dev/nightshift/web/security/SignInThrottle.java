package dev.nightshift.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Counts failed sign-ins per account and per client address, and locks a key that reached
 * {@code max-failures}: while it is locked, sign-ins are refused before any password is checked, so a right
 * guess during the lock is refused too. Each failure after the first lock doubles it, up to {@code max-lock};
 * a key without failures for a {@code window} starts afresh. A success clears its account's count (never the
 * address's: one valid account must not reset the guessing budget of an address). Memory is bounded: at most
 * {@code max-entries} keys, the least recently seen forgotten first.
 */
public class SignInThrottle {

	private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

	private final SignInProperties properties;
	private volatile Clock clock;
	private final Map<String, Entry> entries;

	SignInThrottle(SignInProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		int cap = properties.maxEntries();
		this.entries = new LinkedHashMap<>(64, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
				return size() > cap;
			}
		};
	}

	/** Failures of one key. */
	private static final class Entry {
		int failures;
		int locks;
		Instant lastFailure;
		Instant lockedUntil;
	}

	/**
	 * How long sign-ins of this account from this address stay refused; empty when they may be tried.
	 * @param account the name given, or {@code null} when the request named none
	 */
	public Optional<Duration> lockedFor(String account, String address) {
		Instant now = clock.instant();
		synchronized (entries) {
			Duration longest = Duration.ZERO;
			for (String key : keys(account, address)) {
				Entry entry = key == null ? null : entries.get(key);
				if (entry != null && entry.lockedUntil != null && now.isBefore(entry.lockedUntil)) {
					Duration left = Duration.between(now, entry.lockedUntil);
					longest = left.compareTo(longest) > 0 ? left : longest;
				}
			}
			return longest.isZero() ? Optional.empty() : Optional.of(longest);
		}
	}

	/** A sign-in with a wrong password, an unknown name or a disabled account. */
	public void failed(String account, String address) {
		Instant now = clock.instant();
		int accountFailures = 0;
		synchronized (entries) {
			for (String key : keys(account, address)) {
				if (key != null) {
					int failures = fail(key, now);
					accountFailures = key.startsWith("account:") ? failures : accountFailures;
				}
			}
		}
		log.warn("Failed sign-in for account '{}' from {} ({} failures in a row for this account)", printable(account),
				address, accountFailures);
	}

	/** A sign-in that succeeded: the account's failures are forgotten. */
	public void succeeded(String account) {
		if (account == null) {
			return;
		}
		synchronized (entries) {
			entries.remove("account:" + account);
		}
	}

	@EventListener
	void on(AbstractAuthenticationFailureEvent event) {
		failed(event.getAuthentication().getName(), address(event.getAuthentication()));
	}

	@EventListener
	void on(AuthenticationSuccessEvent event) {
		succeeded(event.getAuthentication().getName());
	}

	/** Tests move time with this, so that no test waits for a lock to pass. */
	void useClock(Clock clock) {
		this.clock = clock;
	}

	/** Forgets every count and lock; for tests that share one server. */
	void forgetAll() {
		synchronized (entries) {
			entries.clear();
		}
	}

	private int fail(String key, Instant now) {
		Entry entry = entries.computeIfAbsent(key, k -> new Entry());
		if (entry.lastFailure != null && Duration.between(entry.lastFailure, now).compareTo(properties.window()) > 0
				&& (entry.lockedUntil == null || !now.isBefore(entry.lockedUntil))) {
			entry.failures = 0;
			entry.locks = 0;
		}
		entry.failures++;
		entry.lastFailure = now;
		if (entry.failures >= properties.maxFailures()) {
			entry.locks++;
			entry.lockedUntil = now.plus(lockLength(entry.locks));
		}
		return entry.failures;
	}

	/** The n-th lock in a row lasts {@code lock · 2^(n-1)}, at most {@code max-lock}. */
	private Duration lockLength(int locks) {
		Duration length = properties.lock();
		for (int i = 1; i < locks && length.compareTo(properties.maxLock()) < 0; i++) {
			length = length.multipliedBy(2);
		}
		return length.compareTo(properties.maxLock()) > 0 ? properties.maxLock() : length;
	}

	private static String[] keys(String account, String address) {
		return new String[] { account == null ? null : "account:" + account,
				address == null ? null : "address:" + address };
	}

	private static String address(Authentication authentication) {
		return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
				: null;
	}

	/** A name as typed by anyone: control characters would forge log lines. */
	private static String printable(String account) {
		if (account == null) {
			return "";
		}
		String cut = account.length() > 64 ? account.substring(0, 64) + "…" : account;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}
}
