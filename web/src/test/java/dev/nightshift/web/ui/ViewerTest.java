package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@BrowserTest
class ViewerTest {

	/** Posts a form from the page with the person's own session and CSRF token; answers the HTTP status. */
	static final String FORGED_POST = """
			const done = arguments[arguments.length - 1];
			const token = document.querySelector('input[name=_csrf]').value;
			fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect: 'manual',
			    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
			    body: arguments[1] + '&_csrf=' + encodeURIComponent(token)})
			  .then(response => done(response.status), error => done('failed: ' + error));
			""";

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	LoopRepository loops;

	Experiment experiment;
	Proposal proposal;

	@BeforeEach
	void aProposalWaits() {
		accounts.viewer();
		experiment = seed.experiment();
		proposal = seed.proposal(experiment, "Does relu beat tanh?", Map.of("act", "relu"), null, "relu trains faster.");
		seed.finished(experiment, proposal, RunStatus.SUCCEEDED, 1.8);
	}

	@Test
	void viewerReadsEverythingButSeesNoApproveVetoOrLoopControls(Browser browser) {
		browser.signIn("test-viewer", TestAccounts.PASSWORD).open("/experiments/" + experiment.id());
		assertThat(browser.text("header.top")).contains("test-viewer", "viewer · read only");
		assertThat(browser.text("#queue")).contains("Does relu beat tanh?");
		assertThat(browser.has("#queue button")).isFalse();
		assertThat(browser.has("#queue [data-action=veto-reason]")).isFalse();
		assertThat(browser.has("#loop form")).isFalse();
		assertThat(browser.findAll("#runs tbody tr[data-run]")).hasSize(1);
		browser.screenshot("experiment-as-viewer");

		browser.press("a");
		assertThat(proposals.findById(proposal.id().value()).orElseThrow().status()).isEqualTo(ProposalStatus.PROPOSED);

		browser.open("/proposals/" + proposal.id());
		assertThat(browser.text("#proposal-status")).isEqualTo("PROPOSED");
		assertThat(browser.has("#approve")).isFalse();
		assertThat(browser.has("#veto-reason")).isFalse();
	}

	@Test
	void forgedPostsFromAViewersSessionAreForbidden(Browser browser) {
		browser.signIn("test-viewer", TestAccounts.PASSWORD).open("/experiments/" + experiment.id());
		assertThat(browser.asyncScript(FORGED_POST, "/ui/actions/proposals/" + proposal.id() + "/approve", "back=/"))
			.isEqualTo(403L);
		assertThat(browser.asyncScript(FORGED_POST, "/ui/actions/proposals/" + proposal.id() + "/veto", "reason=no"))
			.isEqualTo(403L);
		assertThat(browser.asyncScript(FORGED_POST, "/ui/actions/experiments/" + experiment.id() + "/loop",
				"policy=auto")).isEqualTo(403L);
		assertThat(proposals.findById(proposal.id().value()).orElseThrow().status()).isEqualTo(ProposalStatus.PROPOSED);
		assertThat(loops.findActive(experiment.id().value())).isEmpty();
	}

	@Test
	void adminSeesTheReviewersControlsThroughTheRoleHierarchy(Browser browser) {
		browser.signInAsAdmin().open("/experiments/" + experiment.id());
		assertThat(browser.has("#queue button.approve")).isTrue();
		assertThat(browser.has("#loop-start")).isTrue();
	}
}
