package dev.nightshift.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

@WebIntegrationTest
class AccountApiTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Autowired
	JdbcClient jdbc;

	@Test
	void adminCreatesAViewerWhoCanReadButNotDecide() throws Exception {
		String name = "carol-" + System.nanoTime();
		mvc.perform(post("/api/users").with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"" + name + "\", \"password\": \"correct horse battery\", \"role\": \"VIEWER\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.role").value("VIEWER"))
			.andExpect(jsonPath("$.password").doesNotExist());

		mvc.perform(get("/api/experiments").with(httpBasic(name, "correct horse battery"))).andExpect(status().isOk());
		mvc.perform(get("/api/experiments").with(httpBasic(name, "wrong password"))).andExpect(status().isUnauthorized());
		mvc.perform(post("/api/proposals/1/approve").with(httpBasic(name, "correct horse battery")))
			.andExpect(status().isForbidden());
	}

	@Test
	void passwordsAreStoredOnlyAsHashes() throws Exception {
		String name = "dave-" + System.nanoTime();
		mvc.perform(post("/api/users").with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"" + name + "\", \"password\": \"a very secret phrase\", \"role\": \"REVIEWER\"}"))
			.andExpect(status().isCreated());
		String stored = jdbc.sql("select password_hash from app_user where username = ?").param(name).query(String.class).single();
		assertThat(stored).startsWith("{bcrypt}").doesNotContain("a very secret phrase");
		assertThat(jdbc.sql("select password_hash from app_user where username = 'admin'").query(String.class).single())
			.startsWith("{bcrypt}").doesNotContain("test-admin-password");
	}

	@Test
	void badAccountsAreRefusedWithTheFieldNamed() throws Exception {
		mvc.perform(post("/api/users").with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"erin\", \"password\": \"short\", \"role\": \"VIEWER\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("password"));
		mvc.perform(post("/api/users").with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"admin\", \"password\": \"long enough password\", \"role\": \"ADMIN\"}"))
			.andExpect(status().isConflict());
	}

	@Test
	void onlyAdminsManageAccounts() throws Exception {
		mvc.perform(get("/api/users").with(as.reviewer())).andExpect(status().isForbidden());
		mvc.perform(post("/api/users").with(as.reviewer()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"mallory\", \"password\": \"long enough password\", \"role\": \"ADMIN\"}"))
			.andExpect(status().isForbidden());
		mvc.perform(get("/api/users").with(as.admin())).andExpect(status().isOk());
	}
}
