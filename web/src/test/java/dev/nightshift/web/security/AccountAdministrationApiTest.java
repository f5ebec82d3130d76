package dev.nightshift.web.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** Disabling, role changes, password resets ({@code /api/users/{id}}) and one's own password over the API. */
@WebIntegrationTest
class AccountAdministrationApiTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Autowired
	Accounts accounts;

	@Autowired
	SignInThrottle throttle;

	/** The refused sign-ins here are on purpose; they must not lock the test address for the tests after. */
	@AfterEach
	void forgetTheFailures() {
		throttle.forgetAll();
	}

	@Test
	void aDisabledAccountCannotSignInAndAnEnabledOneCanAgain() throws Exception {
		Accounts.Account frank = accounts.create("frank-" + System.nanoTime(), "frank's password", Role.VIEWER, "system");
		mvc.perform(get("/api/experiments").with(httpBasic(frank.username(), "frank's password"))).andExpect(status().isOk());

		mvc.perform(patch("/api/users/" + frank.id()).with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"enabled\": false}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.enabled").value(false));
		mvc.perform(get("/api/experiments").with(httpBasic(frank.username(), "frank's password")))
			.andExpect(status().isUnauthorized());

		mvc.perform(patch("/api/users/" + frank.id()).with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"enabled\": true, \"role\": \"REVIEWER\"}"))
			.andExpect(jsonPath("$.enabled").value(true))
			.andExpect(jsonPath("$.role").value("REVIEWER"));
		mvc.perform(get("/api/experiments").with(httpBasic(frank.username(), "frank's password"))).andExpect(status().isOk());
	}

	@Test
	void aResetPasswordIsAnsweredOnceAndReplacesTheOldOne() throws Exception {
		Accounts.Account gina = accounts.create("gina-" + System.nanoTime(), "gina's old password", Role.VIEWER, "system");
		String body = mvc.perform(post("/api/users/" + gina.id() + "/password").with(as.admin()))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		String password = JsonMapper.builder().build().readTree(body).get("password").asString();
		mvc.perform(get("/api/experiments").with(httpBasic(gina.username(), password))).andExpect(status().isOk());
		mvc.perform(get("/api/experiments").with(httpBasic(gina.username(), "gina's old password")))
			.andExpect(status().isUnauthorized());
		mvc.perform(get("/api/users").with(as.admin())).andExpect(jsonPath("$[*].password").doesNotExist());
	}

	@Test
	void everyoneChangesTheirOwnPasswordGivingTheOldOne() throws Exception {
		Accounts.Account hal = accounts.create("hal-" + System.nanoTime(), "hal's first password", Role.VIEWER, "system");
		mvc.perform(post("/api/account/password").with(httpBasic(hal.username(), "hal's first password"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"oldPassword\": \"not it at all\", \"newPassword\": \"hal's second password\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("oldPassword"));
		mvc.perform(post("/api/account/password").with(httpBasic(hal.username(), "hal's first password"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"oldPassword\": \"hal's first password\", \"newPassword\": \"" + "é".repeat(37) + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].rule").value("too-long"));
		mvc.perform(post("/api/account/password").with(httpBasic(hal.username(), "hal's first password"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"oldPassword\": \"hal's first password\", \"newPassword\": \"hal's second password\"}"))
			.andExpect(status().isNoContent());
		mvc.perform(get("/api/experiments").with(httpBasic(hal.username(), "hal's second password"))).andExpect(status().isOk());
		mvc.perform(get("/api/experiments").with(httpBasic(hal.username(), "hal's first password")))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void anAdminCannotLockThemselvesOutAndOthersCannotAdministerAccounts() throws Exception {
		long admin = accounts.find("admin").orElseThrow().id();
		mvc.perform(patch("/api/users/" + admin).with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"enabled\": false}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].rule").value("own-account"));
		mvc.perform(patch("/api/users/" + admin).with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"role\": \"VIEWER\"}"))
			.andExpect(status().isBadRequest());
		mvc.perform(patch("/api/users/987654321").with(as.admin()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"enabled\": false}"))
			.andExpect(status().isNotFound());
		mvc.perform(patch("/api/users/" + admin).with(as.reviewer()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"enabled\": false}"))
			.andExpect(status().isForbidden());
		mvc.perform(post("/api/users/" + admin + "/password").with(as.viewer())).andExpect(status().isForbidden());
	}
}
