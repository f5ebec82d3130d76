package dev.nightshift.web.api;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.json.JsonMapper;

@WebIntegrationTest
class ExperimentApiTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Test
	void adminRegistersAnExperimentFromYamlAndFindsItListed() throws Exception {
		String yaml = Yaml.microGpt();
		MvcResult created = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", startsWith("/api/experiments/")))
			.andExpect(jsonPath("$.id").isNumber())
			.andExpect(jsonPath("$.experiment.spec.parameters.lr.max").value(0.03))
			.andExpect(jsonPath("$.experiment.spec.budget.run").value("2m"))
			.andReturn();
		long id = JsonMapper.builder().build().readTree(created.getResponse().getContentAsString()).get("id").asLong();
		String name = yaml.lines().findFirst().orElseThrow().substring("name: ".length());

		mvc.perform(get("/api/experiments").with(as.viewer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name", hasItem(name)));
		mvc.perform(get("/api/experiments/" + id).with(as.viewer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value(name))
			.andExpect(jsonPath("$.objective").value("val_loss"))
			.andExpect(jsonPath("$.goal").value("minimize"))
			.andExpect(jsonPath("$.createdBy").value("human:admin"));
	}

	@Test
	void experimentCanBeRegisteredFromJson() throws Exception {
		String json = """
				{"name": "json-%d", "command": "python3 train.py", "objective": {"metric": "acc", "goal": "maximize"},
				 "budget": {"run": "90s"}, "parameters": {"wd": {"type": "float", "min": 0, "max": 0.1}}}
				""".formatted(System.nanoTime());
		mvc.perform(post("/api/experiments").with(as.admin()).contentType(MediaType.APPLICATION_JSON).content(json))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.experiment.goal").value("maximize"))
			.andExpect(jsonPath("$.experiment.spec.budget.run").value("1m30s"))
			.andExpect(jsonPath("$.experiment.spec.parameters.wd.default").value(0.05));
	}

	@Test
	void malformedSpecificationGetsProblemJsonNamingEachFieldAndRule() throws Exception {
		String yaml = """
				name: broken
				command: python3 train.py
				budget: {run: soon}
				colour: blue
				parameters:
				  lr: {type: float, min: 0.1, max: 0.01}
				  depth: {type: integer, min: 1, max: 4}
				  wd: {type: float, min: 0, max: 1, default: 2}
				""";
		mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Invalid experiment specification"))
			.andExpect(jsonPath("$.errors[?(@.field == 'objective')].rule").value("required"))
			.andExpect(jsonPath("$.errors[?(@.field == 'budget.run')].rule").value("duration"))
			.andExpect(jsonPath("$.errors[?(@.field == 'colour')].rule").value("unknown-key"))
			.andExpect(jsonPath("$.errors[?(@.field == 'parameters.lr.min')].rule").value("min-max"))
			.andExpect(jsonPath("$.errors[?(@.field == 'parameters.depth.type')].rule").value("unknown-parameter-type"))
			.andExpect(jsonPath("$.errors[?(@.field == 'parameters.wd.default')].rule").value("out-of-range"));
	}

	@Test
	void yamlSyntaxErrorIsABadRequestWithoutAStackTrace() throws Exception {
		mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content("name: [unclosed\n"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].rule").value("syntax"))
			.andExpect(jsonPath("$.detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception"))));
	}

	@Test
	void secondExperimentWithTheSameNameIsAConflict() throws Exception {
		String yaml = Yaml.microGpt();
		mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isCreated());
		mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(yaml))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("already exists")));
	}

	@Test
	void onlyAnAdminRegistersExperiments() throws Exception {
		mvc.perform(post("/api/experiments").with(as.reviewer()).contentType("application/yaml").content(Yaml.microGpt()))
			.andExpect(status().isForbidden())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		mvc.perform(post("/api/experiments").contentType("application/yaml").content(Yaml.microGpt()))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", startsWith("Basic")));
	}

	@Test
	void unknownExperimentIsNotFound() throws Exception {
		mvc.perform(get("/api/experiments/999999999").with(as.viewer()))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.detail").value("No experiment with id 999999999"));
	}
}
