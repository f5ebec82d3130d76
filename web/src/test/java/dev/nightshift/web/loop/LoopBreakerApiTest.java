package dev.nightshift.web.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What people see of the breaker and the spending limits: the stop conditions in the API, their validation, and a
 * loop that paused itself, with its reasons, in the API, on the experiment page and in the morning summary; what a
 * run cost its proposers in the runs table, the morning summary and its API. (The
 * breaker itself is driven by a provider at the wire in the agent module's LoopBreakerTest.)
 */
@WebIntegrationTest
class LoopBreakerApiTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String REASON = "paused by its breaker: llm:test failed 8 times in a row (every proposal"
			+ " rejected, or an agent error); last reasons: «agent error: unusable answer after one repair: not valid"
			+ " JSON». Resume the loop to try again.";

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@Autowired
	LoopRepository loops;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void spendingLimitsAreValidatedKeptAndAPausedLoopSaysWhyEverywhere() throws Exception {
		long experiment = register();
		String loopUrl = "/api/experiments/" + experiment + "/loop";
		mvc.perform(post(loopUrl).with(as.reviewer()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"manual\", \"maxCost\": -1}"))
			.andExpect(status().isBadRequest())
			.andExpect(result -> assertThat(result.getResponse().getContentAsString()).contains("maxCost"));
		mvc.perform(post(loopUrl).with(as.reviewer()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"manual\", \"maxTokens\": 0}"))
			.andExpect(status().isBadRequest())
			.andExpect(result -> assertThat(result.getResponse().getContentAsString()).contains("maxTokens"));

		JsonNode started = call(post(loopUrl).contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"manual\", \"maxCost\": 0.5, \"maxTokens\": 200000, \"lookahead\": 1}"));
		assertThat(started.get("loop").get("maxCost").asDouble()).isEqualTo(0.5);
		assertThat(started.get("loop").get("maxTokens").asLong()).isEqualTo(200000);
		long loopId = started.get("loop").get("id").asLong();

		// As the breaker does after the last failure in a row (the loop's own thread may be saving it meanwhile).
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> transactions.execute(tx -> {
			Loop loop = loops.findById(loopId).orElseThrow();
			loop.proposerFailed(java.time.Instant.now().plusSeconds(600));
			loop.pauseItself(REASON);
			loops.saveAndFlush(loop);
			return true;
		}));

		JsonNode paused = call(get(loopUrl)).get("loop");
		assertThat(paused.get("status").asString()).isEqualTo("PAUSED");
		assertThat(paused.get("stopReason").asString()).isEqualTo(REASON);
		assertThat(paused.get("proposerFailures").asInt()).isPositive();
		String page = mvc.perform(get("/experiments/" + experiment).with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(page).contains("id=\"loop-paused-reason\"", "paused by its breaker", "not valid JSON",
				"id=\"summary-loop-note\"");
		JsonNode summary = call(get("/api/experiments/" + experiment + "/summary"));
		assertThat(summary.get("loopStatus").asString()).isEqualTo("PAUSED");
		assertThat(summary.get("loopNote").asString()).isEqualTo(REASON);

		JsonNode resumed = call(post(loopUrl + "/resume")).get("loop");
		assertThat(resumed.get("status").asString()).isEqualTo("RUNNING");
		assertThat(resumed.get("stopReason").isNull()).isTrue();
		assertThat(resumed.get("proposerFailures").asInt()).isZero();
		call(delete(loopUrl));

		mvc.perform(post("/ui/actions/experiments/" + experiment + "/loop").with(csrf())
			.with(user("r").roles("REVIEWER"))
			.param("policy", "manual").param("maxCost", "0.25").param("maxTokens", "1000").param("lookahead", "1"))
			.andExpect(status().is3xxRedirection());
		JsonNode fromTheForm = call(get(loopUrl)).get("loop");
		assertThat(fromTheForm.get("maxCost").asDouble()).isEqualTo(0.25);
		assertThat(fromTheForm.get("maxTokens").asLong()).isEqualTo(1000);
		call(delete(loopUrl));
	}

	@Test
	void aLoopCanBeStartedWithoutReflectionsFromTheApiAndTheForm() throws Exception {
		long experiment = register();
		String loopUrl = "/api/experiments/" + experiment + "/loop";

		JsonNode started = call(post(loopUrl).contentType(MediaType.APPLICATION_JSON)
			.content("{\"policy\": \"manual\", \"reflect\": false}"));
		assertThat(started.get("loop").get("reflect").asBoolean()).isFalse();
		assertThat(loops.findById(started.get("loop").get("id").asLong()).orElseThrow().reflects()).isFalse();
		call(delete(loopUrl));

		JsonNode byDefault = call(post(loopUrl).contentType(MediaType.APPLICATION_JSON).content("{\"policy\": \"manual\"}"));
		assertThat(byDefault.get("loop").get("reflect").asBoolean()).isTrue();
		call(delete(loopUrl));

		mvc.perform(post("/ui/actions/experiments/" + experiment + "/loop").with(csrf())
			.with(user("r").roles("REVIEWER")).param("policy", "manual").param("reflect", "false"))
			.andExpect(status().is3xxRedirection());
		assertThat(call(get(loopUrl)).get("loop").get("reflect").asBoolean()).isFalse();
		call(delete(loopUrl));
		// The start form, shown when no loop runs, offers the choice; the runs table has its cost column.
		String page = mvc.perform(get("/experiments/" + experiment).with(user("r").roles("REVIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(page).contains("name=\"reflect\"", "<th class=\"num\">Cost</th>");
	}

	@Test
	void whatARunCostItsProposersShowsInTheRunsTableTheMorningSummaryAndItsApi() throws Exception {
		long experiment = register();
		long proposal = json.readTree(mvc.perform(post("/api/experiments/" + experiment + "/proposals").with(as.reviewer())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"params\": {\"lr\": 0.01}, \"rationale\": \"higher\", \"question\": \"Does a higher lr help?\"}"))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString()).get("id").asLong();
		// As a model's call leaves them: the proposal's share of its call, the run's share of a reflection.
		jdbc.update("update proposal set tokens_in = 1000, tokens_out = 200, cost_usd = 0.003, tokens_cached = 600"
				+ " where id = ?", proposal);
		jdbc.update("""
				insert into run (experiment_id, proposal_id, kind, status, params, objective, verdict, queued_at,
				                 started_at, finished_at, reflection_tokens_in, reflection_tokens_out, reflection_cost_usd)
				select experiment_id, id, 'PROPOSAL', 'SUCCEEDED', params, 2.0, 'DISCARD', now(), now(), now(), 400, 50, 0.001
				from proposal where id = ?""", proposal);

		String page = mvc.perform(get("/experiments/" + experiment).with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(page).contains(">$0.0040</td>", "proposal $0.0030 (1200 tokens) + reflection $0.0010 (450 tokens); 600 cached",
				"Cost per run", "proposal 1200 + reflection 450 tokens");
		JsonNode costs = call(get("/api/experiments/" + experiment + "/summary")).get("runCosts");
		assertThat(costs.get("runs").asInt()).isEqualTo(1);
		assertThat(costs.get("perRun").get("proposalTokens").asLong()).isEqualTo(1200);
		assertThat(costs.get("perRun").get("reflectionTokens").asLong()).isEqualTo(450);
		assertThat(costs.get("total").get("cachedTokens").asLong()).isEqualTo(600);
		assertThat(costs.get("total").get("proposalUsd").asDouble()).isCloseTo(0.003, within(1e-9));
		assertThat(costs.get("total").get("reflectionUsd").asDouble()).isCloseTo(0.001, within(1e-9));
	}

	private long register() throws Exception {
		String body = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content("""
				name: breaker-api-%d
				command: "true"
				objective: {metric: val_loss}
				budget: {run: 1m}
				parameters:
				  lr: {type: float, min: 1.0e-4, max: 1.0e-1, log: true, default: 1.0e-3}
				brief: Lower val_loss.
				""".formatted(System.nanoTime())))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString();
		return json.readTree(body).get("id").asLong();
	}

	private JsonNode call(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
			throws Exception {
		return json.readTree(mvc.perform(request.with(as.reviewer())).andReturn().getResponse().getContentAsString());
	}
}
