package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The experiment page's "What matters" section in a real Chromium, as a VIEWER sees it. */
@BrowserTest
class ImportancePageTest {

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Autowired
	JdbcClient jdbc;

	Experiment experiment;

	@BeforeEach
	void anExperiment() {
		accounts.viewer();
		experiment = seed.experiment();
	}

	@Test
	void aViewerSeesWhichParametersMatterAsBarsMostImportantFirst(Browser browser) {
		// val_loss falls with log(lr), relu is better by 0.3, n_embd does nothing.
		Random random = new Random(9);
		for (int i = 0; i < 40; i++) {
			double lr = 1e-4 * Math.pow(300, random.nextDouble());
			boolean relu = random.nextBoolean();
			succeeded(lr, 8 + random.nextInt(57), relu ? "relu" : "tanh",
					3 + 0.4 * Math.log(lr) - (relu ? 0.3 : 0) + 0.02 * random.nextGaussian());
		}
		browser.signIn("test-viewer", TestAccounts.PASSWORD);
		browser.consoleErrors();

		browser.open("/experiments/" + experiment.id()).waitFor("#importance ol.importance li[data-parameter]");

		List<WebElement> bars = browser.findAll("#importance ol.importance li");
		assertThat(bars).extracting(bar -> bar.getAttribute("data-parameter")).containsExactly("lr", "act", "n_embd");
		assertThat(Double.parseDouble(bars.get(0).getAttribute("data-importance"))).isGreaterThan(0.6);
		assertThat(bars.get(0).findElement(By.cssSelector(".bar span")).getSize().getWidth())
			.as("the most important parameter's bar is the longest")
			.isGreaterThan(bars.get(2).findElement(By.cssSelector(".bar span")).getSize().getWidth());
		assertThat(browser.has("#importance-caveat")).isFalse();
		assertThat(browser.text("#importance-note")).startsWith("From the 40 successful runs. The parameters explain 9");
		browser.screenshot("experiment-importance");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void fewRunsShowTheBarsWithTheCaveatThatTheyAreNotYetTrustworthy(Browser browser) {
		succeeded(0.001, 16, "tanh", 2.2);
		succeeded(0.01, 16, "tanh", 1.9);
		succeeded(0.02, 32, "relu", 1.7);
		succeeded(0.0005, 48, "relu", 2.4);
		browser.signIn("test-viewer", TestAccounts.PASSWORD);
		browser.consoleErrors();

		browser.open("/experiments/" + experiment.id()).waitFor("#importance-caveat");

		assertThat(browser.text("#importance-caveat"))
			.isEqualTo("Not yet trustworthy: 4 of the 10 successful runs it needs. Read the bars as a first impression.");
		assertThat(browser.findAll("#importance ol.importance li")).hasSize(3);
		browser.screenshot("experiment-importance-untrustworthy");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void anExperimentWithoutRunsSaysImportanceNeedsThem(Browser browser) {
		browser.signIn("test-viewer", TestAccounts.PASSWORD).open("/experiments/" + experiment.id());

		browser.waitForText("#importance-note", "Needs at least 2 successful runs; there are none.");
		assertThat(browser.has("#importance ol.importance")).isFalse();
	}

	private void succeeded(double lr, int nEmbd, String act, double objective) {
		jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, exit_code, queued_at, started_at, finished_at)
				values (?, 'PROPOSAL', 'SUCCEEDED', ?, ?, 0, now(), now(), now())""")
			.params(experiment.id().value(),
					"{\"lr\": " + lr + ", \"n_embd\": " + nEmbd + ", \"act\": \"" + act + "\"}", objective)
			.update();
	}
}
