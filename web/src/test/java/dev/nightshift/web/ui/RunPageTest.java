package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@BrowserTest
class RunPageTest {

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Autowired
	MetricPoints metrics;

	@Test
	void runPageTailsTheLogLiveUntilTheRunFinishes(Browser browser) {
		accounts.viewer();
		Experiment experiment = seed.experiment();
		Proposal proposal = seed.proposal(experiment, "Does a longer warmup lower val_loss?", Map.of("lr", 0.01),
				Seed.UNIFIED_DIFF, "Warmup steadies the first steps.");
		Run run = seed.running(experiment, proposal);
		seed.appendLog(run, "step=1 loss=3.10\nstep=2 loss=2.80\n");
		metrics.append(run.id(), List.of(new MetricPoint(0, "loss", 1L, 3.1, Instant.now()),
				new MetricPoint(1, "loss", 2L, 2.8, Instant.now()), new MetricPoint(2, "loss", 3L, Double.NaN, Instant.now())));

		browser.signIn("test-viewer", TestAccounts.PASSWORD).open("/runs/" + run.id());
		browser.waitForText("#log", "step=2 loss=2.80");
		assertThat(browser.text("#log-state")).isEqualTo("live");
		assertThat(browser.text("#run-status")).isEqualTo("RUNNING");
		assertThat(browser.has("button.danger")).as("a viewer cannot cancel").isFalse();

		seed.appendLog(run, "step=3 loss=2.50\npartial line without its end");
		browser.waitForText("#log", "step=3 loss=2.50");
		assertThat(browser.text("#log")).doesNotContain("partial line");
		seed.appendLog(run, " and now its end\n---\nval_loss: 1.2\n");
		browser.waitForText("#log", "partial line without its end and now its end");

		assertThat(browser.waitFor("#series[data-drawn=true] .curve[data-metric=loss] canvas").isDisplayed()).isTrue();
		assertThat(browser.text("#params")).contains("lr", "0.01", "Warmup steadies the first steps.");
		assertThat(browser.findAll("#diff .d-add")).hasSize(1);
		assertThat(browser.text("#outcome")).contains("0123456789abcdef0123456789abcdef01234567", "cpu-test",
				"Does a longer warmup lower val_loss?");
		assertThat(browser.text("#history")).contains("QUEUED", "STARTING", "RUNNING");
		browser.screenshot("run-live");

		seed.finish(run, RunStatus.SUCCEEDED, 1.2);
		browser.until(d -> "true".equals(browser.find("#log").getAttribute("data-complete")));
		assertThat(browser.text("#log-state")).isEqualTo("complete");
		assertThat(browser.text("#log")).endsWith("val_loss: 1.2");
		browser.waitForText("#run-status", "SUCCEEDED");
		assertThat(browser.waitForText("#outcome", "SUCCEEDED").getText()).contains("1.2");

		browser.open("/runs/" + run.id());
		browser.until(d -> "true".equals(browser.find("#log").getAttribute("data-complete")));
		assertThat(browser.text("#log")).startsWith("step=1 loss=3.10");
		browser.screenshot("run");
	}

	@Test
	void aLongLogStartsNearItsEndAndSaysWhatCameBefore(Browser browser) {
		Experiment experiment = seed.experiment();
		Run run = seed.finished(experiment, null, RunStatus.FAILED, null);
		StringBuilder log = new StringBuilder();
		for (int line = 1; line <= 5000; line++) {
			log.append("line ").append(line).append(" of a chatty training program\n");
		}
		seed.appendLog(run, log.toString());

		browser.signInAsAdmin().open("/runs/" + run.id());
		browser.until(d -> "true".equals(browser.find("#log").getAttribute("data-complete")));
		String shown = browser.text("#log");
		assertThat(shown).contains("KiB before this", "line 5000 of a chatty training program")
			.doesNotContain("line 1 of a chatty");
		assertThat(browser.text("#log-card")).contains("whole log");
	}
}
