package dev.nightshift.web.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a new user does first: approve a proposal on the demo experiment and watch the real micro-gpt train. */
@WebIntegrationTest
class DemoExperimentTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Test
	void approvedProposalOnTheDemoExperimentSucceedsWithValLossMetricPointsAndACommit() throws Exception {
		JsonNode demo = null;
		for (JsonNode experiment : read(get("/api/experiments"))) {
			if (experiment.get("name").asString().equals("micro-gpt")) {
				demo = experiment;
			}
		}
		assertThat(demo).as("the demo experiment is registered at start").isNotNull();
		long experiment = demo.get("id").asLong();

		long proposal = read(post("/api/experiments/" + experiment + "/proposals").contentType(MediaType.APPLICATION_JSON)
			.content("{\"params\": {\"lr\": 0.01}, \"rationale\": \"a larger step\", \"question\": \"Does lr 0.01 beat 0.003?\"}"))
			.get("id").asLong();
		mvc.perform(post("/api/proposals/" + proposal + "/approve").with(as.reviewer())).andExpect(status().isOk());

		JsonNode run = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			for (JsonNode candidate : read(get("/api/experiments/" + experiment + "/runs")).get("items")) {
				if (candidate.get("proposalId").asLong() == proposal) {
					return candidate;
				}
			}
			return null;
		}, candidate -> candidate != null && !candidate.get("status").asString().matches("QUEUED|STARTING|RUNNING"));

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
		assertThat(run.get("objective").asDouble()).isBetween(0.5, 3.5);
		assertThat(run.get("commit").asString()).matches("[0-9a-f]{40}");
		assertThat(run.get("params").get("lr").asDouble()).isEqualTo(0.01);
		JsonNode points = read(get("/api/runs/" + run.get("id").asLong() + "/metrics?name=val_loss"));
		assertThat(points.size()).isPositive();
		assertThat(points.get(points.size() - 1).get("value").asDouble()).isEqualTo(run.get("objective").asDouble());
		assertThat(read(get("/api/runs/" + run.get("id").asLong() + "/metrics")).size()).isGreaterThan(points.size());
		String log = mvc.perform(get("/api/runs/" + run.get("id").asLong() + "/log").with(as.viewer()))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(log).contains("val_loss:");
		// Its seed is its own, the run id, so that replicates differ as real runs do; the log says which.
		assertThat(log).contains(" seed=" + run.get("id").asLong() + "\n");
		assertThat(read(get("/api/proposals/" + proposal)).get("status").asString()).isEqualTo("DONE");
	}

	private JsonNode read(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
			throws Exception {
		String body = mvc.perform(request.with(as.reviewer()))
			.andReturn().getResponse().getContentAsString();
		return json.readTree(body);
	}
}
