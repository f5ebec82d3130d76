package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@BrowserTest
class ApprovalTest {

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Autowired
	ProposalRepository proposals;

	Experiment experiment;
	Proposal first;
	Proposal second;

	@BeforeEach
	void twoProposalsWait() {
		accounts.reviewer();
		experiment = seed.experiment();
		first = seed.proposal(experiment, "Does lr 0.01 beat 0.003?", Map.of("lr", 0.01), null, "A larger step.");
		second = seed.proposal(experiment, "Does a longer warmup lower val_loss?", Map.of("n_embd", 32),
				Seed.UNIFIED_DIFF, "Warmup steadies the first steps.");
	}

	@Test
	void reviewerMovesThroughTheQueueWithTheKeyboardApprovesAndSeesTheProposalRun(Browser browser) {
		browser.signIn("test-reviewer", TestAccounts.PASSWORD).open("/experiments/" + experiment.id());
		assertThat(browser.text("#queue .queue-item.selected")).contains("Does lr 0.01 beat 0.003?");
		browser.press("j");
		assertThat(browser.text("#queue .queue-item.selected")).contains("Does a longer warmup lower val_loss?");
		browser.press("k");
		assertThat(browser.find("#queue .queue-item.selected").getAttribute("data-proposal"))
			.isEqualTo(Long.toString(first.id().value()));
		browser.screenshot("approval-queue");

		browser.press("a");
		browser.waitForText(".notice", "Proposal #" + first.id() + " approved.");
		assertThat(browser.location()).endsWith("#queue");
		assertThat(browser.text("#queue")).contains("1 waiting").doesNotContain("Does lr 0.01 beat 0.003?");

		browser.open("/proposals/" + first.id());
		browser.until(d -> browser.text("#proposal-status").equals("DONE"));
		assertThat(browser.waitForText("#status .run-ref", "SUCCEEDED").getText()).contains("1");
		browser.open("/proposals/" + first.id());
		assertThat(browser.text("#history")).contains("PROPOSED", "APPROVED", "SCHEDULED", "DONE", "human:test-reviewer");
		assertThat(browser.has("#approve")).isFalse();
		assertThat(proposals.findById(first.id().value()).orElseThrow().status()).isEqualTo(ProposalStatus.DONE);
		browser.screenshot("proposal-done");
	}

	@Test
	void reviewerVetoesOnTheProposalPageAndTheReasonStaysOnIt(Browser browser) {
		browser.signIn("test-reviewer", TestAccounts.PASSWORD).open("/proposals/" + second.id());
		assertThat(browser.text("#question")).contains("Does a longer warmup lower val_loss?", "Warmup steadies");
		assertThat(browser.text("#params")).contains("n_embd", "32", "16");
		assertThat(browser.findAll("#diff .d-add")).hasSize(1);
		assertThat(browser.text("#diff .d-del")).contains("11", "-    warmup = 0");
		assertThat(browser.text("#diff .d-add")).contains("+    warmup = 100");
		browser.screenshot("proposal");

		browser.press("k");
		browser.until(d -> browser.location().equals("/proposals/" + first.id()));
		browser.press("j");
		browser.until(d -> browser.location().equals("/proposals/" + second.id()));

		browser.waitFor("#veto-reason");
		browser.press("v");
		assertThat(browser.focused().getAttribute("id")).isEqualTo("veto-reason");
		browser.focused().sendKeys("Changes the schedule and the code at once; one at a time, please.");
		browser.find("#veto").click();

		browser.waitForText(".notice", "Proposal #" + second.id() + " vetoed.");
		assertThat(browser.text("#proposal-status")).isEqualTo("VETOED");
		assertThat(browser.text("#veto-reason-shown")).contains("Changes the schedule and the code at once");
		assertThat(browser.has("#approve")).isFalse();
		Proposal vetoed = proposals.findById(second.id().value()).orElseThrow();
		assertThat(vetoed.status()).isEqualTo(ProposalStatus.VETOED);
		assertThat(vetoed.statusReason()).contains("Changes the schedule and the code at once; one at a time, please.");
	}

	@Test
	void approvingTwiceSaysWhyInsteadOfFailing(Browser browser) {
		browser.signInAsAdmin().open("/proposals/" + first.id());
		seed.veto(first, "vetoed meanwhile in another tab");
		browser.find("#approve").click();
		assertThat(browser.waitFor(".problem").getText()).contains("VETOED", "APPROVED");
		assertThat(browser.text("#proposal-status")).isEqualTo("VETOED");
	}
}
