package dev.nightshift.web.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands before HTTP Basic and the sign-in form: a request that carries credentials while its account or its
 * address is locked is answered 429 with {@code Retry-After}, and its password is never looked at. The address
 * is the socket's ({@link HttpServletRequest#getRemoteAddr()}); forwarded headers count only where Spring
 * Boot is told to trust them ({@code server.forward-headers-strategy}).
 */
final class SignInThrottleFilter extends OncePerRequestFilter {

	private final SignInThrottle throttle;
	private final ProblemResponses problems;
	private final boolean form;

	/** @param form whether this chain signs in with the form ({@code POST /login}) rather than HTTP Basic */
	SignInThrottleFilter(SignInThrottle throttle, ProblemResponses problems, boolean form) {
		this.throttle = throttle;
		this.problems = problems;
		this.form = form;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<String> account = form ? formAccount(request) : basicAccount(request);
		if (account.isPresent()) {
			Optional<Duration> locked = throttle.lockedFor(account.get().isEmpty() ? null : account.get(),
					request.getRemoteAddr());
			if (locked.isPresent()) {
				long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
				response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
				problems.tooManySignIns(request, response, seconds);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/** The name in a Basic header, empty when the header cannot be read; absent without one. */
	private static Optional<String> basicAccount(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			return Optional.empty();
		}
		try {
			String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			return Optional.of(colon < 0 ? "" : decoded.substring(0, colon));
		}
		catch (IllegalArgumentException notBase64) {
			return Optional.of("");
		}
	}

	private static Optional<String> formAccount(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod()) || !"/login".equals(request.getServletPath())) {
			return Optional.empty();
		}
		String username = request.getParameter("username");
		return Optional.of(username == null ? "" : username);
	}
}
