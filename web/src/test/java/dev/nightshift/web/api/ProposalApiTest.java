package dev.nightshift.web.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

@WebIntegrationTest
class ProposalApiTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	long experiment;

	@BeforeEach
	void registerExperiment() throws Exception {
		String body = mvc.perform(post("/api/experiments").with(as.admin()).contentType("application/yaml").content(Yaml.microGpt()))
			.andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString();
		experiment = json.readTree(body).get("id").asLong();
	}

	@Test
	void reviewerApprovesAndTheProposalIsScheduledAndRuns() throws Exception {
		long id = propose("{\"lr\": 0.01}", "Does a higher lr lower val_loss?");
		mvc.perform(post("/api/proposals/" + id + "/approve").with(as.reviewer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("APPROVED"))
			.andExpect(jsonPath("$.decidedBy").value("human:test-reviewer"));
		await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> mvc.perform(get("/api/proposals/" + id).with(as.viewer()))
			.andExpect(jsonPath("$.status").value("DONE"))
			.andExpect(jsonPath("$.history[*].to", contains("PROPOSED", "APPROVED", "SCHEDULED", "DONE"))));
		mvc.perform(get("/api/experiments/" + experiment + "/runs").with(as.viewer()))
			.andExpect(jsonPath("$.items[0].proposalId").value((int) id))
			.andExpect(jsonPath("$.items[0].status").value("SUCCEEDED"))
			.andExpect(jsonPath("$.items[0].objective").value(2.0));
	}

	@Test
	void vetoCarriesItsReasonAndAVetoWithoutOneIsRefused() throws Exception {
		long id = propose("{\"act\": \"relu\"}", "Is relu better?");
		mvc.perform(post("/api/proposals/" + id + "/veto").with(as.reviewer()).contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("reason"));
		mvc.perform(post("/api/proposals/" + id + "/veto").with(as.reviewer()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"reason\": \"relu diverged last time\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("VETOED"))
			.andExpect(jsonPath("$.reason").value("relu diverged last time"));
	}

	@Test
	void decidingTwiceIsAConflictNamingBothStates() throws Exception {
		long id = propose("{\"lr\": 0.002}", "Lower lr?");
		mvc.perform(post("/api/proposals/" + id + "/veto").with(as.reviewer()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"reason\": \"no\"}"))
			.andExpect(status().isOk());
		mvc.perform(post("/api/proposals/" + id + "/approve").with(as.reviewer()))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.from").value("VETOED"))
			.andExpect(jsonPath("$.to").value("APPROVED"));
	}

	@Test
	void unauthenticatedApproveIs401AndAViewersIs403() throws Exception {
		long id = propose("{\"lr\": 0.003}", "Default lr again?");
		mvc.perform(post("/api/proposals/" + id + "/approve")).andExpect(status().isUnauthorized());
		mvc.perform(post("/api/proposals/" + id + "/approve").with(as.viewer())).andExpect(status().isForbidden());
		mvc.perform(post("/api/proposals/" + id + "/veto").with(as.viewer()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"reason\": \"x\"}"))
			.andExpect(status().isForbidden());
		mvc.perform(get("/api/proposals/" + id).with(as.viewer())).andExpect(jsonPath("$.status").value("PROPOSED"));
	}

	@Test
	void parametersOutsideTheSearchSpaceAreABadRequest() throws Exception {
		mvc.perform(post("/api/experiments/" + experiment + "/proposals").with(as.reviewer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"params\": {\"lr\": 0.5, \"act\": \"gelu\"}, \"rationale\": \"r\", \"question\": \"q\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[?(@.field == 'params.lr')].rule").value("out-of-range"))
			.andExpect(jsonPath("$.errors[?(@.field == 'params.act')].rule").value("out-of-range"));
	}

	@Test
	void aPersonsPatchToAFileThatIsNotEditableIsRefusedNamingTheRule() throws Exception {
		proposePatch("--- /dev/null\n+++ b/eval.py\n@@ -0,0 +1 @@\n+cheat = True\n")
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("patch"))
			.andExpect(jsonPath("$.errors[0].rule").value("not-editable"))
			.andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.containsString("eval.py")));
	}

	@Test
	void aPersonsPatchThatDoesNotApplyIsRefused() throws Exception {
		proposePatch("--- a/train.py\n+++ b/train.py\n@@ -1,1 +1,1 @@\n-lr = 0.5\n+lr = 0.1\n")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("patch"))
			.andExpect(jsonPath("$.errors[0].rule").value("does-not-apply"));
	}

	@Test
	void aTenMegabytePatchIsRefusedByItsSize() throws Exception {
		proposePatch("--- /dev/null\n+++ b/train.py\n@@ -0,0 +1 @@\n+x = '" + "a".repeat(10 * 1024 * 1024) + "'\n")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("patch"))
			.andExpect(jsonPath("$.errors[0].rule").value("too-large"));
	}

	@Test
	void aPatchWithANulCharacterIsRefused() throws Exception {
		proposePatch("--- /dev/null\n+++ b/train.py\n@@ -0,0 +1 @@\n+x = '\0'\n")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("patch"))
			.andExpect(jsonPath("$.errors[0].rule").value("no-nul"));
	}

	@Test
	void unknownParametersAndNullValuesAreRefusedNotAServerError() throws Exception {
		mvc.perform(post("/api/experiments/" + experiment + "/proposals").with(as.reviewer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"params\": {\"depth\": 3, \"lr\": null}, \"rationale\": \"r\", \"question\": \"q\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[?(@.field == 'params.depth')].rule").value("unknown-parameter"))
			.andExpect(jsonPath("$.errors[?(@.field == 'params.lr')].rule").value("type"));
	}

	@Test
	void aPersonsValidPatchIsAccepted() throws Exception {
		proposePatch("--- /dev/null\n+++ b/train.py\n@@ -0,0 +1 @@\n+print('val_loss: 1.0')\n")
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("PROPOSED"));
	}

	@Test
	void proposalWithoutAQuestionIsRefused() throws Exception {
		mvc.perform(post("/api/experiments/" + experiment + "/proposals").with(as.reviewer())
				.contentType(MediaType.APPLICATION_JSON).content("{\"params\": {\"lr\": 0.01}, \"rationale\": \"r\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("question"));
	}

	@Test
	void listIsNewestFirstFilteredByStatusAndPaged() throws Exception {
		long first = propose("{\"lr\": 0.004}", "q1");
		long second = propose("{\"lr\": 0.005}", "q2");
		long third = propose("{\"lr\": 0.006}", "q3");
		mvc.perform(post("/api/proposals/" + second + "/veto").with(as.reviewer()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"reason\": \"tried\"}"))
			.andExpect(status().isOk());

		mvc.perform(get("/api/experiments/" + experiment + "/proposals?size=2").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains((int) third, (int) second)))
			.andExpect(jsonPath("$.totalItems").value(3))
			.andExpect(jsonPath("$.totalPages").value(2));
		mvc.perform(get("/api/experiments/" + experiment + "/proposals?size=2&page=1").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains((int) first)));
		mvc.perform(get("/api/experiments/" + experiment + "/proposals?status=VETOED").with(as.viewer()))
			.andExpect(jsonPath("$.items[*].id", contains((int) second)));
		mvc.perform(get("/api/experiments/" + experiment + "/proposals?status=MAYBE").with(as.viewer()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].rule").value("unknown-status"));
	}

	private ResultActions proposePatch(String patch) throws Exception {
		return mvc.perform(post("/api/experiments/" + experiment + "/proposals").with(as.reviewer())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(java.util.Map.of("patch", patch, "rationale", "worth a run",
					"question", "Does this code change help?"))));
	}

	private long propose(String params, String question) throws Exception {
		String body = mvc.perform(post("/api/experiments/" + experiment + "/proposals").with(as.reviewer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"params\": " + params + ", \"rationale\": \"worth a run\", \"question\": \"" + question + "\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("PROPOSED"))
			.andExpect(jsonPath("$.proposer").value("human:test-reviewer"))
			.andReturn().getResponse().getContentAsString();
		return json.readTree(body).get("id").asLong();
	}
}
