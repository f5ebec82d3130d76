package dev.nightshift.web.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/experiments/import} on a repository laid out like autoresearch's. */
@WebIntegrationTest
class ImportApiTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	TestAccounts as;

	@TempDir
	Path dir;

	@Test
	void aDryRunReadsTheSpecificationOffTheRepositoryAndSavesNothing() throws Exception {
		Path repo = AutoresearchFixture.create(dir, "autoresearch-dry");
		JsonNode review = body(importing(Map.of("path", repo.toString(), "dryRun", true), as.admin())
			.andExpect(status().isOk()));
		JsonNode spec = JSON.readTree(review.get("spec").asString());
		assertThat(spec.get("name").asString()).isEqualTo("autoresearch-dry");
		assertThat(spec.get("command").asString()).isEqualTo("uv run train.py");
		assertThat(spec.get("editable").get(0).asString()).isEqualTo("train.py");
		assertThat(spec.get("objective").get("metric").asString()).isEqualTo("val_bpb");
		assertThat(spec.get("objective").get("goal").asString()).isEqualTo("minimize");
		assertThat(spec.get("budget").get("run").asString()).as("twice prepare.py's TIME_BUDGET").isEqualTo("10m");
		assertThat(spec.get("brief").asString()).contains("fixed time budget");
		assertThat(review.get("runs").asInt()).isEqualTo(4);
		assertThat(review.get("kept").asInt()).isEqualTo(2);
		assertThat(review.get("discarded").asInt()).isEqualTo(1);
		assertThat(review.get("crashed").asInt()).isEqualTo(1);
		assertThat(review.get("commitsFound").asInt()).isEqualTo(1);
		assertThat(review.get("best").asDouble()).isEqualTo(0.9932);
		assertThat(body(mvc.perform(get("/api/experiments").with(as.viewer()))).valueStream()
			.map(e -> e.get("name").asString())).doesNotContain("autoresearch-dry");
	}

	@Test
	void anImportRegistersTheExperimentWithResultsTsvAsItsHistory() throws Exception {
		Path repo = AutoresearchFixture.create(dir, "autoresearch-night");
		String firstCommit = AutoresearchFixture.git(repo, "rev-parse", "HEAD");
		JsonNode imported = body(importing(Map.of("path", repo.toString()), as.admin()).andExpect(status().isCreated()));
		long id = imported.get("experimentId").asLong();
		assertThat(imported.get("runs").asInt()).isEqualTo(4);

		JsonNode experiment = body(mvc.perform(get("/api/experiments/" + id).with(as.viewer())));
		assertThat(experiment.get("objective").asString()).isEqualTo("val_bpb");
		assertThat(experiment.get("spec").get("command").asString()).isEqualTo("uv run train.py");

		List<JsonNode> runs = new ArrayList<>();
		body(mvc.perform(get("/api/experiments/" + id + "/runs?size=50").with(as.viewer()))).get("items").forEach(runs::add);
		assertThat(runs).extracting(r -> r.get("status").asString())
			.containsExactlyInAnyOrder("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED");
		assertThat(runs).filteredOn(r -> r.get("commit").asString("").equals(firstCommit)).hasSize(1);

		String tsv = mvc.perform(get("/api/experiments/" + id + "/results.tsv").with(as.viewer()))
			.andReturn().getResponse().getContentAsString();
		assertThat(tsv.lines().skip(1).toList()).containsExactly(
				firstCommit.substring(0, 7) + "\t0.997900\t44.0\tkeep\tbaseline",
				"b2c3d4e\t0.993200\t44.2\tkeep\tincrease LR to 0.04",
				"c3d4e5f\t1.005000\t44.0\tdiscard\tswitch to GeLU activation",
				"d4e5f6g\t0.000000\t0.0\tcrash\tdouble model width (OOM)");
		JsonNode refuted = body(mvc.perform(get("/api/experiments/" + id + "/questions?status=REFUTED").with(as.viewer())));
		assertThat(refuted.get("items").get(0).get("text").asString()).as("what did not help is a dead end")
			.isEqualTo("switch to GeLU activation");
	}

	@Test
	void onlyAnAdminImportsAndOnlyFromAnAllowedAutoresearchRepository() throws Exception {
		Path repo = AutoresearchFixture.create(dir, "autoresearch-rules");
		importing(Map.of("path", repo.toString()), as.reviewer()).andExpect(status().isForbidden());
		JsonNode outside = body(importing(Map.of("path", "/etc", "dryRun", true), as.admin())
			.andExpect(status().isBadRequest()));
		assertThat(outside.toString()).contains("source-root");
		Path bare = Files.createDirectories(dir.resolve("not-autoresearch"));
		JsonNode noProgram = body(importing(Map.of("path", bare.toString(), "dryRun", true), as.admin())
			.andExpect(status().isBadRequest()));
		assertThat(noProgram.get("errors").get(0).get("field").asString()).isEqualTo("path");
		assertThat(noProgram.get("detail").asString()).contains("program.md");
		Files.writeString(repo.resolve("results.tsv"), "commit\tval_bpb\tmemory_gb\tstatus\tdescription\nabc\tlow\t1\tkeep\tx\n");
		JsonNode badRow = body(importing(Map.of("path", repo.toString()), as.admin()).andExpect(status().isBadRequest()));
		assertThat(badRow.get("errors").get(0).get("field").asString()).isEqualTo("results.tsv line 2");
		importing(Map.of(), as.admin()).andExpect(status().isBadRequest());
	}

	private ResultActions importing(Map<String, Object> request, RequestPostProcessor who) throws Exception {
		return mvc.perform(post("/api/experiments/import").with(who).contentType(MediaType.APPLICATION_JSON)
			.content(JSON.writeValueAsString(request)));
	}

	private static JsonNode body(ResultActions result) throws Exception {
		return JSON.readTree(result.andReturn().getResponse().getContentAsString());
	}
}
