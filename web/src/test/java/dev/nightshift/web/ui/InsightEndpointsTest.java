package dev.nightshift.web.ui;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The compare page's and the parallel coordinates' answers below the browser: a bad pick is a 400 page naming
 * it, never a 500; the chart's data samples the best runs and an even share of the others; a stranger is sent
 * to sign in.
 */
@BrowserTest
class InsightEndpointsTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	Seed seed;

	@Autowired
	JdbcClient jdbc;

	@Test
	void badPicksAreA400PageThatNamesTheProblem() throws Exception {
		Experiment experiment = seed.experiment();
		Run one = seed.finished(experiment, null, RunStatus.SUCCEEDED, 1.0);
		Run elsewhere = seed.finished(seed.experiment(), null, RunStatus.SUCCEEDED, 1.0);
		String[][] picks = { { "", "0 were picked" }, { one.id().toString(), "1 was picked" },
				{ "1,2,3,4,5,6", "6 were picked" }, { one.id() + ",987654321", "There is no run #987654321." },
				{ one.id() + "," + elsewhere.id(), "Runs of different experiments cannot be compared" },
				{ one.id() + ",99999999999999999999", "is not a run number" } };
		for (String[] pick : picks) {
			mvc.perform(get("/compare").param("runs", pick[0]).with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
				.andExpect(status().isBadRequest())
				.andExpect(content().string(Matchers.containsString(pick[1].replace("\"", "&quot;"))));
		}
		mvc.perform(get("/compare").with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isBadRequest());
	}

	@Test
	void manyRunsAreSampledAsTheBestAndAnEvenShareOfTheOthers() throws Exception {
		Experiment experiment = seed.experiment();
		jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, exit_code, verdict, queued_at, started_at,
				                 finished_at)
				select ?, 'PROPOSAL', 'SUCCEEDED', '{"lr": ' || (0.0001 * g) || ', "n_embd": 16, "act": "relu"}',
				       g * 0.001, 0, 'DISCARD', now(), now(), now() from generate_series(1, 5000) g""")
			.param(experiment.id().value())
			.update();

		mvc.perform(get("/experiments/" + experiment.id() + "/parallel").with(user("v").roles("VIEWER")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.total").value(5000))
			.andExpect(jsonPath("$.sampled").value(true))
			.andExpect(jsonPath("$.axes[*].name").value(Matchers.contains("lr", "n_embd", "act", "val_loss")))
			.andExpect(jsonPath("$.axes[2].kind").value("choice"))
			.andExpect(jsonPath("$.axes[0].kind").value("log"))
			.andExpect(jsonPath("$.lines.length()").value(Matchers.both(Matchers.greaterThan(1500))
				.and(Matchers.lessThanOrEqualTo(ParallelCoordinates.MAX_LINES))))
			.andExpect(jsonPath("$.lines[?(@.best == true)]").value(Matchers.hasSize(ParallelCoordinates.BEST)))
			// The best run (objective 0.001) is drawn, and marked.
			.andExpect(jsonPath("$.lines[?(@.values[3] == 0.001)].best").value(Matchers.contains(true)));
		mvc.perform(get("/experiments/987654321/parallel").with(user("v").roles("VIEWER")))
			.andExpect(status().isNotFound());
		mvc.perform(get("/experiments/" + experiment.id() + "/parallel"))
			.andExpect(result -> org.assertj.core.api.Assertions.assertThat(result.getResponse().getStatus()).isIn(302, 401));
	}
}
