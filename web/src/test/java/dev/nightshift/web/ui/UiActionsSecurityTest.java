package dev.nightshift.web.ui;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** The page actions' guard rails, checked below the browser: roles, CSRF, redirects, error pages. */
@BrowserTest
class UiActionsSecurityTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	Seed seed;

	@Test
	void viewerIsForbiddenAndReviewerIsRedirectedBackWithANotice() throws Exception {
		Experiment experiment = seed.experiment();
		Proposal proposal = seed.proposal(experiment, "Does lr 0.02 help?", Map.of("lr", 0.02), null, "Why not.");
		mvc.perform(post("/ui/actions/proposals/" + proposal.id() + "/approve").with(csrf()).with(user("v").roles("VIEWER")))
			.andExpect(status().isForbidden());
		mvc.perform(post("/ui/actions/proposals/" + proposal.id() + "/approve").with(user("r").roles("REVIEWER")))
			.andExpect(status().isForbidden());
		mvc.perform(post("/ui/actions/proposals/" + proposal.id() + "/veto").with(csrf()).with(user("r").roles("REVIEWER"))
			.param("reason", " ").param("back", "https://elsewhere.example/"))
			.andExpect(redirectedUrl("/proposals/" + proposal.id()))
			.andExpect(flash().attribute("problem", Matchers.containsString("a veto needs a reason")));
		mvc.perform(post("/ui/actions/proposals/" + proposal.id() + "/veto").with(csrf()).with(user("r").roles("REVIEWER"))
			.param("reason", "not now").param("back", "//elsewhere.example/"))
			.andExpect(redirectedUrl("/proposals/" + proposal.id()))
			.andExpect(flash().attribute("notice", "Proposal #" + proposal.id() + " vetoed."));
	}

	@Test
	void missingThingsArePagesNotJson() throws Exception {
		mvc.perform(get("/runs/987654321").with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
			.andExpect(content().string(Matchers.containsString("No run with id 987654321")));
		mvc.perform(get("/experiments/not-a-number").with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isNotFound());
		mvc.perform(get("/proposals/987654321").with(user("v").roles("VIEWER")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isNotFound());
	}
}
