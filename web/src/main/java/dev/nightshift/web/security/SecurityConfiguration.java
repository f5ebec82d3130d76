package dev.nightshift.web.security;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * Two filter chains. The API ({@code /api/**}, {@code /actuator/**}, and the MCP server at {@code /mcp}) is stateless with HTTP Basic: no
 * session cookie, so no cross-site request can ride on one, and CSRF tokens would only get in the way of
 * scripts. The browser gets form login, a session, and CSRF protection on every form. In both, a
 * {@link SignInThrottleFilter} stands before the sign-in and refuses, with 429, attempts for a locked account
 * or from a locked address.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String VIEWER = Role.VIEWER.name();
	private static final String REVIEWER = Role.REVIEWER.name();
	private static final String ADMIN = Role.ADMIN.name();

	@Bean
	@Order(1)
	SecurityFilterChain api(HttpSecurity http, ProblemResponses problems, SignInThrottle throttle) throws Exception {
		http.securityMatcher("/api/**", "/actuator/**", "/mcp", "/mcp/**")
			.addFilterBefore(new SignInThrottleFilter(throttle, problems, false), BasicAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
				.requestMatchers("/actuator/**").hasRole(VIEWER)
				.requestMatchers("/api/users", "/api/users/**").hasRole(ADMIN)
				.requestMatchers(HttpMethod.POST, "/api/account/password").hasRole(VIEWER)
				.requestMatchers(HttpMethod.POST, "/api/experiments").hasRole(ADMIN)
				.requestMatchers(HttpMethod.GET, "/api/**").hasRole(VIEWER)
				.requestMatchers(HttpMethod.POST, "/api/experiments/*/proposals", "/api/proposals/*/approve",
						"/api/proposals/*/veto", "/api/experiments/*/loop", "/api/experiments/*/loop/*",
						"/api/runs/*/cancel")
				.hasRole(REVIEWER)
				.requestMatchers(HttpMethod.DELETE, "/api/experiments/*/loop").hasRole(REVIEWER)
				// MCP: every account may connect; each tool checks the role it needs, as the API's paths do.
				.requestMatchers("/mcp", "/mcp/**").hasRole(VIEWER)
				.anyRequest().hasRole(ADMIN))
			.httpBasic(basic -> basic.authenticationEntryPoint(problems))
			.exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain browser(HttpSecurity http, ProblemResponses problems, SignInThrottle throttle,
			Accounts accounts) throws Exception {
		http.addFilterBefore(new SignInThrottleFilter(throttle, problems, true),
				UsernamePasswordAuthenticationFilter.class)
			.addFilterAfter(new SessionAccountFilter(accounts), SecurityContextHolderFilter.class)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/login", "/error", "/css/**", "/js/**", "/webjars/**", "/favicon.ico").permitAll()
				.requestMatchers(HttpMethod.POST, "/ui/actions/**").hasRole(REVIEWER)
				.requestMatchers("/ui/import", "/ui/import/**").hasRole(ADMIN)
				.requestMatchers("/admin/**").hasRole(ADMIN)
				.anyRequest().hasRole(VIEWER))
			.formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
			.logout(logout -> logout.logoutSuccessUrl("/login?logout"));
		return http.build();
	}

	/** Failed sign-ins, counted per account and address; it hears of them through Spring Security's events. */
	@Bean
	SignInThrottle signInThrottle(SignInProperties properties) {
		return new SignInThrottle(properties, Clock.systemUTC());
	}

	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.withDefaultRolePrefix()
			.role(ADMIN).implies(REVIEWER)
			.role(REVIEWER).implies(VIEWER)
			.build();
	}

	/** BCrypt (through the delegating encoder, so hashes name their algorithm), with matches remembered briefly. */
	@Bean
	PasswordEncoder passwordEncoder() {
		return new RememberingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder(),
				Clock.systemUTC());
	}
}
