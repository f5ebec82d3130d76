package dev.nightshift.web.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.nightshift.web.WebIntegrationTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

@WebIntegrationTest
class BrowserSecurityTest {

	@Autowired
	MockMvc mvc;

	@Test
	void anonymousVisitorIsSentToTheLoginPage() throws Exception {
		mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
		mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(Matchers.containsString("name=\"_csrf\"")));
	}

	@Test
	void loginFormWithoutItsCsrfTokenIsRefused() throws Exception {
		mvc.perform(post("/login").param("username", "admin").param("password", "test-admin-password"))
			.andExpect(status().isForbidden());
	}

	@Test
	void adminSignsInWithTheFormAndSeesTheExperiments() throws Exception {
		MockHttpSession session = (MockHttpSession) mvc
			.perform(post("/login").with(csrf()).param("username", "admin").param("password", "test-admin-password"))
			.andExpect(redirectedUrl("/"))
			.andReturn().getRequest().getSession();
		mvc.perform(get("/").session(session))
			.andExpect(status().isOk())
			.andExpect(content().string(Matchers.containsString("Experiments")));
		mvc.perform(post("/logout").session(session)).andExpect(status().isForbidden());
	}

	@Test
	void wrongPasswordGoesBackToTheFormWithAnError() throws Exception {
		mvc.perform(post("/login").with(csrf()).param("username", "admin").param("password", "nope"))
			.andExpect(redirectedUrl("/login?error"));
	}
}
