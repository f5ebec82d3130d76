package dev.nightshift.agent.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.importance.ParameterImportance;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** A context built from ten thousand runs: bounded, complete where it must be, and a few queries. */
@NightshiftIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResearchContextBuilderTest {

	private static final int RUNS = 10_000;

	@Autowired
	ResearchContextBuilder builder;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	NightshiftHome home;

	@Autowired
	ParameterImportance importance;

	ResearchHistory seeded;

	ResearchContext context;

	@BeforeAll
	void seedTenThousandRuns() throws Exception {
		seeded = ResearchHistory.seed(jdbc, home.runsDirectory(), RUNS);
		context = builder.build(new ExperimentId(seeded.experimentId()), 12, 99);
	}

	@Test
	void theHistoryHoldsTheNewestRunsTheBestRunsAndTheDeadEndsRunsNewestFirst() {
		List<Long> newest = jdbc.sql("""
				select id from run where experiment_id = ? and status in ('SUCCEEDED', 'FAILED', 'OOM', 'TIMED_OUT')
				order by id desc limit 500""").param(seeded.experimentId()).query(Long.class).list();
		List<Long> deadEndRuns = jdbc.sql("""
				select r.id from run r join proposal p on p.id = r.proposal_id join question q on q.id = p.question_id
				where q.experiment_id = ? and q.status in ('DEAD_END', 'REFUTED')""")
			.param(seeded.experimentId()).query(Long.class).list();
		List<Long> history = context.history().stream().map(RunSummary::id).toList();

		assertThat(history).containsAll(newest).containsAll(deadEndRuns)
			.contains(seeded.bestRun(), seeded.baselineRun())
			.isSortedAccordingTo(Comparator.reverseOrder())
			.hasSizeLessThanOrEqualTo(ResearchContextBuilder.NEWEST_RUNS + ResearchContextBuilder.BEST_RUNS
					+ ResearchContextBuilder.DEAD_END_RUNS + 2);
		assertThat(deadEndRuns).hasSize(2 * ResearchHistory.DEAD_ENDS);
		assertThat(context.history().get(0).id()).isEqualTo(newest.get(0));
	}

	@Test
	void theBestRunTheBaselineAndTheTopRunsComeWithDeltasAgainstTheBaseline() {
		assertThat(context.best().id()).isEqualTo(seeded.bestRun());
		assertThat(context.best().objective()).isEqualTo(1.5);
		assertThat(context.best().delta()).isCloseTo(1.5 - ResearchHistory.BASELINE_OBJECTIVE, within(1e-9));
		assertThat(context.best().verdict()).isEqualTo("KEEP");
		assertThat(context.baseline().id()).isEqualTo(seeded.baselineRun());
		assertThat(context.baseline().kind()).isEqualTo("BASELINE");
		assertThat(context.topRuns()).hasSize(ResearchContextBuilder.TOP_RUNS)
			.extracting(RunSummary::objective).isSorted().startsWith(1.5, 2.0);
		context.history().stream().filter(run -> run.objective() != null).forEach(run -> assertThat(run.delta())
			.isCloseTo(run.objective() - ResearchHistory.BASELINE_OBJECTIVE, within(1e-9)));
		assertThat(context.history()).filteredOn(run -> run.proposalId() != null)
			.allSatisfy(run -> assertThat(run.questionId()).isNotNull());
	}

	@Test
	void everyDeadEndAndVetoIsThereAndOnlyTheNewestOpenQuestions() {
		assertThat(context.deadEnds()).hasSize(ResearchHistory.DEAD_ENDS).allSatisfy(question -> {
			assertThat(question.status()).isIn("DEAD_END", "REFUTED");
			assertThat(question.conclusion()).startsWith("Conclusion ");
			assertThat(question.runs()).isEqualTo(2);
		});
		assertThat(context.openQuestions()).hasSize(ResearchContextBuilder.OPEN_QUESTIONS)
			.extracting(ResearchContext.QuestionSummary::text).last().isEqualTo("Open question 60");
		assertThat(context.vetoes()).hasSize(ResearchHistory.VETOES).allSatisfy(veto -> {
			assertThat(veto.status()).isIn("VETOED", "REJECTED");
			assertThat(veto.reason()).startsWith("Reason ");
			assertThat(veto.question()).isEqualTo("Open question 1");
			assertThat(veto.params()).containsKey("lr");
		});
		assertThat(context.pending()).extracting(ResearchContext.PendingProposal::status)
			.containsExactly("SCHEDULED", "APPROVED", "PROPOSED");
		assertThat(context.runsLeft()).isEqualTo(12);
		assertThat(context.seed()).isEqualTo(99);
	}

	@Test
	void crashesAreTheNewestFailuresWithTheEndOfTheirLog() {
		assertThat(context.crashes()).hasSize(ResearchContextBuilder.CRASHES)
			.extracting(RunSummary::id).isSortedAccordingTo(Comparator.reverseOrder());
		RunSummary timedOut = context.crashes().stream().filter(run -> run.id() == seeded.timedOutRun()).findFirst()
			.orElseThrow();
		// The scheduler's error held no log lines, so the end of run.log (progress split at \r) was read.
		assertThat(timedOut.logExcerpt()).startsWith("stopped at its time budget of 2m\nstep 2200 loss 2.22\n")
			.endsWith("step 5000 loss 2.50\nKilled at the time budget");
		assertThat(timedOut.logExcerpt().lines()).hasSize(1 + 30);
		assertThat(context.crashes()).filteredOn(run -> run.id() != seeded.timedOutRun())
			.allSatisfy(run -> assertThat(run.logExcerpt()).startsWith("exited with code 1; log ends with:")
				.contains("RuntimeError: failure in run"));
	}

	@Test
	void theDigestOfTenThousandRunsStaysInBudgetAndKeepsWhatMatters() {
		String digest = new DigestRenderer().render(context, 6000);

		assertThat(DigestRenderer.estimateTokens(digest)).isLessThanOrEqualTo(6000);
		assertThat(digest).doesNotContain("[Over budget")
			.contains("## Best run\nrun " + seeded.bestRun() + " · SUCCEEDED · val_loss 1.5 (Δ -0.55) · KEEP");
		context.history().subList(0, 5).forEach(run -> assertThat(digest).contains("- run " + run.id() + " · "));
		context.deadEnds().forEach(deadEnd -> assertThat(digest).contains(deadEnd.text()));
		context.vetoes().forEach(veto -> assertThat(digest).contains(veto.reason()));
	}

	@Test
	void theContextCarriesTheParameterImportanceOfTheNewestThousandSuccessfulRuns() {
		assertThat(context.importance().runsUsed()).isEqualTo(1000);
		assertThat(context.importance().capped()).isTrue();
		assertThat(new DigestRenderer().render(context, 6000))
			.contains("## What matters (parameter importance)\n- ", "From the newest 1000 successful runs.");
	}

	/** The importance estimate, kept per experiment, reads through its own connection and is not counted. */
	@Test
	void buildingTheContextTakesFourQueriesWhateverTheHistory() {
		AtomicInteger statements = new AtomicInteger();
		DataSource counting = counting(dataSource, statements);
		ResearchContextBuilder counted = new ResearchContextBuilder(JdbcClient.create(counting), home,
				new DataSourceTransactionManager(counting), importance);

		ResearchContext again = counted.build(new ExperimentId(seeded.experimentId()), 12, 99);

		assertThat(statements).hasValue(4);
		assertThat(again).isEqualTo(context);
	}

	@Test
	void anUnknownExperimentIsNotFound() {
		assertThatThrownBy(() -> builder.build(new ExperimentId(Long.MAX_VALUE), null, 1))
			.isInstanceOf(NotFoundException.class);
	}

	/** A data source whose connections count the statements they prepare. */
	private static DataSource counting(DataSource target, AtomicInteger statements) {
		return new DelegatingDataSource(target) {

			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
						new Class<?>[] {Connection.class}, (proxy, method, args) -> {
							if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
								statements.incrementAndGet();
							}
							try {
								return method.invoke(connection, args);
							}
							catch (java.lang.reflect.InvocationTargetException ex) {
								throw ex.getCause();
							}
						});
			}
		};
	}
}
