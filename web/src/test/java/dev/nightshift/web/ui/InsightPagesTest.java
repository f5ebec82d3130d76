package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.workspace.Workspaces;
import dev.nightshift.web.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * "See what mattered" in a real Chromium, as a VIEWER: the parallel coordinates and their brush filtering the
 * runs table, comparing runs picked in the table (parameters, code, curves), the run page's series (objective
 * first, scalars in a table, log scale and smoothing) and the questions tree with each question's runs and deltas.
 */
@BrowserTest
class InsightPagesTest {

	@Autowired
	Seed seed;

	@Autowired
	TestAccounts accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MetricPoints metrics;

	@Autowired
	Workspaces workspaces;

	@Autowired
	QuestionRepository questions;

	Experiment experiment;

	/** Whether the experiment's repository was imported: its runs then run its head commit, else the seed's. */
	boolean imported;

	@BeforeEach
	void anExperimentAndAViewer() {
		accounts.viewer();
		experiment = seed.experiment();
	}

	@Test
	void draggingAlongTheActAxisKeepsOnlyTheReluRunsInTheChartAndInTheRunsTable(Browser browser) {
		for (int i = 0; i < 12; i++) {
			succeeded(0.0002 * (i + 1), 8 + 4 * i, i % 3 == 0 ? "relu" : "tanh", 2.0 - i * 0.05);
		}
		browser.signIn("test-viewer", TestAccounts.PASSWORD);
		browser.consoleErrors();

		browser.open("/experiments/" + experiment.id()).waitFor("#parallel-chart[data-drawn=true]");

		assertThat(browser.findAll("#parallel-chart g.axis")).extracting(a -> a.getAttribute("data-axis"))
			.containsExactly("lr", "n_embd", "act", "val_loss");
		assertThat(browser.findAll("#parallel-chart polyline.line")).hasSize(12);
		assertThat(browser.text("#parallel-note")).contains("Every successful run (12)");
		// relu is the top of the act axis, tanh its bottom: a drag over the upper half selects relu.
		WebElement act = browser.find("#parallel-chart g.axis[data-axis=act] rect.hit");
		int half = act.getSize().getHeight() / 2;
		browser.drag(act, -half + 2, -10);

		browser.until(d -> "4".equals(browser.find("#parallel-chart").getAttribute("data-selected")) ? true : null);
		assertThat(browser.findAll("#parallel-chart polyline.line.dim")).hasSize(8);
		List<WebElement> shown = browser.findAll("#runs tbody tr[data-run]").stream().filter(WebElement::isDisplayed).toList();
		assertThat(shown).hasSize(4).allSatisfy(row -> assertThat(row.getAttribute("data-params")).contains("relu"));
		assertThat(browser.text("#parallel-brush")).contains("4 of 12 lines and 4 of 12 rows");
		browser.screenshot("experiment-parallel-brushed");

		browser.find("#parallel-clear").click();
		browser.until(d -> browser.findAll("#runs tbody tr.brushed-out").isEmpty() ? true : null);
		assertThat(browser.find("#parallel-brush").isDisplayed()).isFalse();
		// A VIEWER sees the chart and the compare boxes, but no control that changes anything.
		assertThat(browser.has("#loop-start")).isFalse();
		assertThat(browser.has("#runs input[name=runs]")).isTrue();
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void threeRunsTickedInTheTableCompareTheirParametersTheirCodeAndTheirCurves(Browser browser) throws IOException {
		Path source = Files.createDirectories(Path.of("target", "compare-source-" + experiment.id().value()));
		Files.writeString(source.resolve("train.py"), "warmup = 0\nlr = 0.01\n");
		workspaces.importSource(experiment.id().value(), source);
		imported = true;
		Run first = run(Map.of("lr", 0.01, "n_embd", 16, "act", "tanh"), 1.5, null);
		Run second = run(Map.of("lr", 0.02, "n_embd", 16, "act", "tanh"), 1.4,
				"--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n-warmup = 0\n+warmup = 100\n lr = 0.01\n");
		Run third = run(Map.of("lr", 0.02, "n_embd", 16, "act", "relu"), 1.3, null);
		seed.proposal(experiment, "Does act relu help?", Map.of("act", "relu"), null, "Maybe.");
		seed.proposal(experiment, "Does n_embd 32 help?", Map.of("n_embd", 32), null, "Maybe.");
		browser.signIn("test-viewer", TestAccounts.PASSWORD);
		browser.consoleErrors();
		browser.open("/experiments/" + experiment.id()).waitFor("#runs");

		for (Run run : List.of(first, second, third)) {
			browser.find("#runs tr[data-run='" + run.id().value() + "'] input[name=runs]").click();
		}
		// A ticked box keeps the focus, and the keys still move through the approval queue.
		assertThat(browser.focused().getAttribute("name")).isEqualTo("runs");
		String selected = browser.find(".queue-item.selected").getAttribute("data-proposal");
		browser.press("j");
		browser.until(d -> !browser.find(".queue-item.selected").getAttribute("data-proposal").equals(selected) ? true : null);
		assertThat(browser.text("#compare-hint")).startsWith("3 picked");
		browser.find("#compare-button").click();

		browser.waitFor("#compare-series[data-drawn=true] .curve[data-metric=loss] canvas");
		assertThat(browser.location()).startsWith("/compare?runs=");
		assertThat(browser.findAll("#compare-params thead th[data-run]")).extracting(th -> th.getAttribute("data-run"))
			.containsExactlyInAnyOrder(first.id().toString(), second.id().toString(), third.id().toString());
		assertThat(browser.findAll("#compare-params tr.differs")).extracting(tr -> tr.getAttribute("data-param"))
			.containsExactlyInAnyOrder("lr", "act", "val_loss");
		assertThat(browser.find("#compare-params tr[data-param=n_embd]").getAttribute("class")).doesNotContain("differs");
		WebElement toPatched = browser.find("#compare-code .code-diff[data-to='" + second.id().value() + "']");
		browser.screenshot("compare-runs");
		assertThat(toPatched.findElements(By.cssSelector(".d-add"))).as(toPatched.getText()).extracting(WebElement::getText)
			.anyMatch(line -> line.contains("+warmup = 100"));
		// The curves of the three runs share one chart per metric; the constant is no chart.
		assertThat(browser.find("#compare-series .curve[data-metric=loss]").getText()).contains("#" + first.id(),
				"#" + second.id(), "#" + third.id());
		assertThat(browser.has("#compare-series .curve[data-metric=batch_size]")).isFalse();
		browser.find("#series-log").click();
		browser.waitFor("#compare-series .curve[data-metric=loss][data-scale=log]");
		browser.screenshot("compare-runs");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void badPicksOfRunsToCompareSayWhatIsWrong(Browser browser) {
		Run one = run(Map.of("lr", 0.01), 1.5, null);
		Run two = run(Map.of("lr", 0.02), 1.4, null);
		Experiment other = seed.experiment();
		Run elsewhere = seed.finished(other, null, RunStatus.SUCCEEDED, 1.0);
		browser.signIn("test-viewer", TestAccounts.PASSWORD);
		browser.consoleErrors();

		browser.open("/compare?runs=" + one.id());
		assertThat(browser.text("main")).contains("Cannot compare these runs", "Pick two to five runs to compare; 1 was picked.");
		browser.screenshot("compare-one-run");
		browser.open("/compare?runs=1,2,3,4,5,6");
		assertThat(browser.text("main")).contains("Pick two to five runs to compare; 6 were picked.");
		browser.open("/compare?runs=" + one.id() + ",987654321");
		assertThat(browser.text("main")).contains("There is no run #987654321.");
		browser.open("/compare?runs=" + one.id() + "," + elsewhere.id());
		assertThat(browser.text("main")).contains("Runs of different experiments cannot be compared");
		browser.open("/compare?runs=" + one.id() + ",x7");
		assertThat(browser.text("main")).contains("\"x7\" is not a run number.");
		browser.open("/compare?runs=" + one.id() + "," + two.id());
		assertThat(browser.waitFor("#compare-code .code-diff").getText()).contains("Same code");
	}

	@Test
	void theRunPageShowsTheObjectiveFirstTheConstantsAsScalarsAndEveryOtherSeriesAsAChart(Browser browser) {
		Run run = run(Map.of("lr", 0.01), 1.2, null);
		browser.signIn("test-viewer", TestAccounts.PASSWORD);
		browser.consoleErrors();

		browser.open("/runs/" + run.id()).waitFor("#series[data-drawn=true]");

		assertThat(browser.find("#series-objective .curve[data-metric=val_loss] canvas").isDisplayed()).isTrue();
		assertThat(browser.find("#series-objective .curve").getSize().getHeight())
			.isGreaterThan(browser.find("#series-charts .curve[data-metric=loss]").getSize().getHeight());
		assertThat(browser.findAll("#series-scalars tr[data-scalar]")).extracting(tr -> tr.getAttribute("data-scalar"))
			.containsExactlyInAnyOrder("num_params", "batch_size");
		assertThat(browser.text("#series-scalars tr[data-scalar=num_params]")).contains("1234567");
		assertThat(browser.has(".curve[data-metric=num_params]")).isFalse();
		assertThat(browser.has(".curve[data-metric=batch_size]")).isFalse();
		assertThat(browser.find("#series-charts .curve[data-metric=loss]").getAttribute("data-scale")).isEqualTo("linear");

		browser.find("#series-log").click();
		browser.waitFor("#series-charts .curve[data-metric=loss][data-scale=log]");
		browser.script("const s = document.getElementById('series-smoothing'); s.value = '0.9';"
				+ " s.dispatchEvent(new Event('input'));");
		browser.waitFor("#series-charts .curve[data-metric=loss] canvas");
		browser.screenshot("run-series");
		assertThat(browser.has("form[action$='/cancel']")).isFalse();
		assertThat(browser.consoleErrors()).isEmpty();
		browser.find("body").sendKeys(Keys.ESCAPE);
	}

	@Test
	void theQuestionsTreeAndTheDeadEndLogListEachQuestionsRunsWithTheirDeltas(Browser browser) {
		Run base = run(Map.of("lr", 0.003), 1.5, null);
		List<Run> tried = new ArrayList<>();
		double[] objectives = { 1.6, 1.55, 1.7 };
		for (double objective : objectives) {
			Proposal proposal = seed.proposal(experiment, "Does a higher n_embd help?", Map.of("n_embd", 48), null, "Wider.");
			Run run = seed.finished(experiment, proposal, RunStatus.SUCCEEDED, objective);
			jdbc.sql("update run set base_run_id = ? where id = ?").params(base.id().value(), run.id().value()).update();
			tried.add(run);
		}
		Question question = questions.findAll().stream()
			.filter(q -> q.experimentId().equals(experiment.id()) && q.text().equals("Does a higher n_embd help?"))
			.findFirst()
			.orElseThrow();
		seed.close(question, QuestionStatus.DEAD_END, "No: runs " + tried.get(0).id() + ", " + tried.get(1).id() + ", "
				+ tried.get(2).id() + " were all worse than their base.");
		browser.signIn("test-viewer", TestAccounts.PASSWORD);
		browser.consoleErrors();

		browser.open("/experiments/" + experiment.id()).waitFor("#questions");

		WebElement inTree = browser.find("#questions li[data-question='" + question.id().value() + "']");
		assertThat(inTree.getText()).contains("DEAD_END", "3 runs:", "(+0.1)", "(+0.05)", "(+0.2)");
		assertThat(inTree.findElements(By.cssSelector(".delta.worse"))).hasSize(3);
		WebElement deadEnd = browser.find("#dead-ends li[data-question='" + question.id().value() + "']");
		assertThat(deadEnd.findElements(By.cssSelector(".evidence-run"))).extracting(e -> e.getAttribute("data-run"))
			.containsExactly(tried.get(2).id().toString(), tried.get(1).id().toString(), tried.get(0).id().toString());
		browser.screenshot("experiment-questions-evidence");
		deadEnd.findElement(By.linkText("compare")).click();
		browser.waitFor("#compare-params");
		assertThat(browser.findAll("#compare-params thead th[data-run]")).hasSize(3);
		assertThat(browser.consoleErrors()).isEmpty();
	}

	private void succeeded(double lr, int nEmbd, String act, double objective) {
		jdbc.sql("""
				insert into run (experiment_id, kind, status, params, objective, exit_code, queued_at, started_at, finished_at)
				values (?, 'PROPOSAL', 'SUCCEEDED', ?, ?, 0, now(), now(), now())""")
			.params(experiment.id().value(),
					"{\"lr\": " + lr + ", \"n_embd\": " + nEmbd + ", \"act\": \"" + act + "\"}", objective)
			.update();
	}

	/**
	 * A successful run of its own proposal with a loss curve, its objective's curve, a constant printed once and one
	 * printed at every step; once the repository is imported, on its head commit, or with a patch on a new one.
	 */
	/**
	 * Sets a finished run's commit behind JPA's back, bumping its version: the judge, woken by the run's end, may
	 * hold the run loaded from before this write, and saving it must then fail on the optimistic lock (and load
	 * it again) rather than put the seed's stand-in commit back.
	 */
	private void setCommit(Run run, String commit) {
		jdbc.sql("update run set commit_sha = ?, version = version + 1 where id = ?").params(commit, run.id().value())
			.update();
	}

	private Run run(Map<String, Object> params, double objective, String patch) {
		Proposal proposal = seed.proposal(experiment, "Does " + params + " help?", params, patch, "Try it.");
		Run run = seed.finished(experiment, proposal, RunStatus.SUCCEEDED, objective);
		if (patch != null) {
			String commit = workspaces.prepareRun(experiment.id().value(), run.id().value(), null, patch).commit();
			setCommit(run, commit);
		}
		else if (imported) {
			String head = workspaces.headCommit(experiment.id().value());
			setCommit(run, head);
		}
		List<MetricPoint> points = new ArrayList<>();
		Instant now = Instant.now();
		points.add(new MetricPoint(0, "num_params", null, 1234567, now));
		for (int step = 1; step <= 20; step++) {
			points.add(new MetricPoint(points.size(), "loss", (long) step, objective + 2.0 / step, now));
			points.add(new MetricPoint(points.size(), "batch_size", (long) step, 64, now));
			if (step % 5 == 0) {
				points.add(new MetricPoint(points.size(), "val_loss", (long) step, objective + 1.0 / step, now));
			}
		}
		metrics.append(run.id(), points);
		return run;
	}
}
