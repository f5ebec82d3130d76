package dev.nightshift.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.nightshift.scheduler.sandbox.Bubblewrap;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@WebIntegrationTest
class ActuatorTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Test
	void healthIsOpenToEveryoneAndIncludesTheDatabase() throws Exception {
		mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.components.db.status").value("UP"));
	}

	@Test
	void healthSaysWhetherTheSandboxIsAvailableWithDetailsForSignedInUsers() throws Exception {
		mvc.perform(get("/actuator/health"))
			.andExpect(jsonPath("$.components.sandbox.status").value("UP"))
			.andExpect(jsonPath("$.components.sandbox.details").doesNotExist());
		mvc.perform(get("/actuator/health").with(as.viewer()))
			.andExpect(jsonPath("$.components.sandbox.details.sandbox").value(Bubblewrap.available()))
			.andExpect(jsonPath("$.components.sandbox.details.containment").isBoolean())
			.andExpect(jsonPath("$.components.sandbox.details.required").value(true))
			.andExpect(jsonPath("$.components.sandbox.details.detail").isString());
	}

	@Test
	void prometheusMetricsNeedAnAccount() throws Exception {
		mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
		mvc.perform(get("/actuator/prometheus").with(as.viewer()))
			.andExpect(status().isOk())
			.andExpect(content().string(Matchers.containsString("jvm_memory_used_bytes")))
			.andExpect(content().string(Matchers.containsString("hikaricp_connections")));
	}
}
