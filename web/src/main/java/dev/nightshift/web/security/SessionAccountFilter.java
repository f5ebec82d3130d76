package dev.nightshift.web.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a browser session whose account was disabled or given another role since it signed in: the
 * account is read on every request (one indexed row), as HTTP Basic reads it, so a disabled person is out at
 * their next click and a changed role takes effect when they sign in again. The session is invalidated and the
 * browser sent to the sign-in page.
 */
final class SessionAccountFilter extends OncePerRequestFilter {

	private final Accounts accounts;

	SessionAccountFilter(Accounts accounts) {
		this.accounts = accounts;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
		if (signedIn == null || !signedIn.isAuthenticated() || signedIn instanceof AnonymousAuthenticationToken) {
			chain.doFilter(request, response);
			return;
		}
		// Accounts are never deleted; a name without an account (a test's made-up user) has nothing to compare.
		Optional<Accounts.Account> account = accounts.find(signedIn.getName());
		boolean current = account.isEmpty() || account.get().enabled() && signedIn.getAuthorities()
			.stream()
			.anyMatch(granted -> granted.getAuthority().equals("ROLE_" + account.get().role().name()));
		if (current) {
			chain.doFilter(request, response);
			return;
		}
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		SecurityContextHolder.clearContext();
		response.sendRedirect(request.getContextPath() + "/login?ended");
	}
}
