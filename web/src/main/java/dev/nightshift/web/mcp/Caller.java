package dev.nightshift.web.mcp;

import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.nightshift.web.security.Role;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who called a tool: the account signed in on the HTTP request that carried the call, and the roles it holds
 * (the role hierarchy applied, so an ADMIN is a REVIEWER too). Tools run off the request's thread, so the
 * caller travels in the SDK's transport context rather than in Spring Security's thread-bound one.
 */
record Caller(String name, Set<String> roles) {

	private static final String KEY = "nightshift.caller";

	/** Refuses a caller without {@code role}, as the API answers 403 on a path that needs it. */
	void require(Role role, String what) {
		if (!roles.contains(role.name())) {
			throw new ToolRefusedException(name + " may not " + what + ": it takes the " + role + " role");
		}
	}

	/** How proposals and decisions of this caller are signed. */
	String actor() {
		return "mcp:" + name;
	}

	static Caller of(McpTransportContext context) {
		Object caller = context == null ? null : context.get(KEY);
		if (caller instanceof Caller known) {
			return known;
		}
		// The security chain lets no request without an account reach the server; this is a second lock.
		throw new ToolRefusedException("no signed-in account on this request");
	}

	/** Reads the signed-in account off each HTTP request into the transport context of the calls it carries. */
	static McpTransportContextExtractor<HttpServletRequest> extractor(RoleHierarchy hierarchy) {
		return request -> {
			Principal principal = request.getUserPrincipal();
			if (!(principal instanceof Authentication authentication) || !authentication.isAuthenticated()) {
				return McpTransportContext.EMPTY;
			}
			Set<String> roles = hierarchy.getReachableGrantedAuthorities(authentication.getAuthorities())
				.stream()
				.map(GrantedAuthority::getAuthority)
				.filter(authority -> authority != null && authority.startsWith("ROLE_"))
				.map(authority -> authority.substring("ROLE_".length()))
				.collect(Collectors.toUnmodifiableSet());
			return McpTransportContext.create(Map.of(KEY, new Caller(authentication.getName(), roles)));
		};
	}
}
