package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

@BrowserTest
class ExperimentPageTest {

	@Autowired
	Seed seed;

	Experiment experiment;
	Run baseline;
	Run second;
	Run best;
	Run worse;
	Run failed;

	@BeforeEach
	void seedANight() {
		experiment = seed.experiment();
		baseline = seed.finished(experiment, null, RunStatus.SUCCEEDED, 2.0);
		// Two equal baselines measure no noise, so the judge keeps a clearly better run at once, with no replicate.
		second = seed.finished(experiment, null, RunStatus.SUCCEEDED, 2.0);
		Proposal warmup = seed.proposal(experiment, "Does a longer warmup lower val_loss?", Map.of("lr", 0.01),
				Seed.UNIFIED_DIFF, "Warmup steadies the first steps.");
		best = seed.finished(experiment, warmup, RunStatus.SUCCEEDED, 1.5);
		Proposal relu = seed.proposal(experiment, "Does relu beat tanh?", Map.of("act", "relu"), null, "relu trains faster.");
		worse = seed.finished(experiment, relu, RunStatus.SUCCEEDED, 2.4);
		// A proposal has one run; a second try at the same question is a proposal of its own.
		Proposal reluAgain = seed.proposal(experiment, "Does relu beat tanh?", Map.of("act", "relu", "lr", 0.005), null,
				"relu with a smaller step.");
		failed = seed.finished(experiment, reluAgain, RunStatus.FAILED, null);
		Question width = seed.question(experiment, null, "Is a wider model better?");
		seed.question(experiment, width, "Is n_embd 64 better than 32?");
		seed.close(seed.question(experiment, null, "Does gradient clipping help?"), QuestionStatus.DEAD_END,
				"Four runs, none better than the baseline.");
		seed.awaitVerdicts(best, worse);
	}

	@Test
	void personSeesTheRunsSummaryChartQuestionsAndDeadEndsOfAnExperiment(Browser browser) {
		browser.signInAsAdmin().open("/experiments/" + experiment.id());

		assertThat(runIds(browser)).containsExactly(id(failed), id(worse), id(best), id(second), id(baseline));
		WebElement bestRow = browser.find("tr[data-run='" + best.id() + "']");
		assertThat(bestRow.getAttribute("class")).contains("best");
		assertThat(bestRow.getText()).contains("SUCCEEDED", "1.5", "KEEP", "Does a longer warmup lower val_loss?", "cpu-test");

		String summary = browser.text("#summary");
		assertThat(summary).contains("Runs\n5", "Baseline\n2", "+0.5", "+25.00%", "New bests\n1", "Improved from",
				"Dead ends found\n1", "FAILED");
		assertThat(browser.text("#summary .learned")).contains("What was learned", "DEAD_END", "Does gradient clipping help?",
				"Four runs, none better");
		assertThat(browser.waitFor("#objective-chart[data-drawn=true] canvas").isDisplayed()).isTrue();

		List<WebElement> tree = browser.findAll("#questions li");
		assertThat(tree).extracting(WebElement::getText)
			.anySatisfy(text -> assertThat(text).contains("Is a wider model better?"))
			.anySatisfy(text -> assertThat(text).contains("DEAD_END", "Four runs, none better than the baseline."));
		WebElement child = browser.waitForText("#questions li", "Is n_embd 64 better than 32?");
		assertThat(child.getAttribute("style")).contains("margin-left: 1.5rem");
		assertThat(browser.text("#dead-ends")).contains("Does gradient clipping help?", "Four runs, none better");
		assertThat(browser.text("#queue")).contains("3 waiting", "Does relu beat tanh?", "code patch");
		browser.screenshot("experiment");
	}

	@Test
	void runsTableSortsFiltersAndPagesWithTheViewInTheAddressToShare(Browser browser) {
		browser.signInAsAdmin().open("/experiments/" + experiment.id());

		browser.find("#runs thead a[href*='sort=objective']").click();
		browser.until(d -> browser.location().contains("sort=objective"));
		browser.until(d -> runIds(browser).equals(List.of(id(best), id(second), id(baseline), id(worse), id(failed))));
		browser.find("#runs thead a[href*='sort=-objective']").click();
		browser.until(d -> runIds(browser).equals(List.of(id(worse), id(second), id(baseline), id(best), id(failed))));
		assertThat(browser.location()).contains("sort=-objective");

		browser.find("#runs .filters input[value=FAILED]").click();
		browser.until(d -> runIds(browser).equals(List.of(id(failed))));
		assertThat(browser.location()).contains("status=FAILED").contains("sort=-objective");

		String shared = browser.location();
		browser.open("/");
		browser.open(shared);
		assertThat(runIds(browser)).containsExactly(id(failed));
		assertThat(browser.find("#runs .filters input[value=FAILED]").isSelected()).isTrue();

		browser.open("/experiments/" + experiment.id() + "?sort=id&size=2");
		assertThat(runIds(browser)).containsExactly(id(baseline), id(second));
		assertThat(browser.text("#runs .pager")).contains("runs 1–2 of 5", "page 1 of 3");
		browser.find("#runs .pager a[rel=next]").click();
		browser.until(d -> browser.location().contains("page=2"));
		browser.until(d -> runIds(browser).equals(List.of(id(best), id(worse))));
		assertThat(browser.location()).contains("sort=id", "size=2");
	}

	@Test
	void timesAreShownInTheReadersTimeZone(Browser browser) {
		browser.signInAsAdmin().open("/experiments/" + experiment.id());
		WebElement started = browser.find("tr[data-run='" + best.id() + "'] time");
		ZonedDateTime local = best.startedAt().orElseThrow().atZone(ZoneId.of(Chromium.TIME_ZONE));
		String expected = local.toLocalDate().equals(LocalDate.now(ZoneId.of(Chromium.TIME_ZONE)))
				? local.format(DateTimeFormatter.ofPattern("HH:mm:ss"))
				: local.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
		browser.until(d -> "true".equals(started.getAttribute("data-local")));
		assertThat(started.getText()).isEqualTo(expected);
		assertThat(started.getAttribute("datetime")).endsWith("Z");
	}

	private List<Long> runIds(Browser browser) {
		return browser.findAll("#runs tbody tr[data-run]")
			.stream()
			.map(row -> Long.parseLong(row.getAttribute("data-run")))
			.toList();
	}

	private long id(Run run) {
		return run.id().value();
	}
}
