package dev.nightshift.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code PUT /api/experiments/{id}}: brief, budget and noise change in place; anything else is a new version. */
@WebIntegrationTest
class ExperimentEditApiTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	String yaml;
	long id;
	String name;

	@BeforeEach
	void anExperimentIsRegistered() throws Exception {
		yaml = Yaml.microGpt();
		String body = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString();
		JsonNode created = JsonMapper.builder().build().readTree(body);
		id = created.get("id").asLong();
		name = created.get("name").asString();
	}

	@Test
	void aNewBriefBudgetAndNoiseChangeTheExperimentInPlace() throws Exception {
		String edited = yaml.replace("budget: {run: 2m}", "budget: {run: 5m}")
			.replace("replicates: 2", "replicates: 3")
			.replace("Lower val_loss.", "Lower val_loss, gently.");
		mvc.perform(put("/api/experiments/" + id).with(as.admin()).contentType("application/yaml").content(edited))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id))
			.andExpect(jsonPath("$.newVersion").value(false))
			.andExpect(jsonPath("$.experiment.spec.budget.run").value("5m"));
		mvc.perform(get("/api/experiments/" + id).with(as.viewer()))
			.andExpect(jsonPath("$.spec.noise.replicates").value(3))
			.andExpect(jsonPath("$.spec.brief").value("Lower val_loss, gently.\n"));
	}

	@Test
	void aChangedSearchSpaceOrCommandRegistersANewVersionAndLeavesTheOldOneAlone() throws Exception {
		String edited = yaml.replace("max: 64, default: 16", "max: 128, default: 16");
		String body = mvc.perform(put("/api/experiments/" + id).with(as.admin()).contentType("application/yaml")
				.content(edited))
			.andExpect(status().isCreated())
			.andExpect(header().exists("Location"))
			.andExpect(jsonPath("$.newVersion").value(true))
			.andExpect(jsonPath("$.previousId").value(id))
			.andExpect(jsonPath("$.name").value(name + "-v2"))
			.andExpect(jsonPath("$.experiment.spec.parameters.n_embd.max").value(128))
			.andReturn().getResponse().getContentAsString();
		long v2 = JsonMapper.builder().build().readTree(body).get("id").asLong();
		assertThat(v2).isNotEqualTo(id);
		mvc.perform(get("/api/experiments/" + id).with(as.viewer()))
			.andExpect(jsonPath("$.spec.parameters.n_embd.max").value(64));

		// Editing the new version's command (keeping its name) makes v3, not v2-v2.
		String v2Yaml = edited.replace("name: " + name, "name: " + name + "-v2")
			.replace("echo 'val_loss: 2.0'", "echo 'val_loss: 1.0'");
		mvc.perform(put("/api/experiments/" + v2).with(as.admin()).contentType("application/yaml").content(v2Yaml))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.name").value(name + "-v3"))
			.andExpect(jsonPath("$.previousId").value(v2));
		mvc.perform(get("/api/experiments/" + v2 + "/versions").with(as.viewer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(contains(name, name + "-v2", name + "-v3")))
			.andExpect(jsonPath("$[0].previousId").doesNotExist())
			.andExpect(jsonPath("$[2].previousId").value(v2));
	}

	@Test
	void aRenameABrokenRuleAnUnknownIdAndANonAdminAreRefused() throws Exception {
		mvc.perform(put("/api/experiments/" + id).with(as.admin()).contentType("application/yaml")
				.content(yaml.replace("name: " + name, "name: other-" + name)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("name"))
			.andExpect(jsonPath("$.errors[0].rule").value("unchanged"));
		mvc.perform(put("/api/experiments/" + id).with(as.admin()).contentType("application/yaml")
				.content(yaml.replace("budget: {run: 2m}", "budget: {run: soon}")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("budget.run"));
		mvc.perform(put("/api/experiments/987654321").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isNotFound());
		mvc.perform(put("/api/experiments/" + id).with(as.reviewer()).contentType("application/yaml").content(yaml))
			.andExpect(status().isForbidden());
	}
}
