package dev.nightshift.agent.context;

import static dev.nightshift.agent.context.DigestRenderer.estimateTokens;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import org.junit.jupiter.api.Test;

class DigestRendererTest {

	private final DigestRenderer renderer = new DigestRenderer();

	@Test
	void tokensAreEstimatedAsFourCharactersEach() {
		assertThat(estimateTokens("")).isZero();
		assertThat(estimateTokens("abcd")).isEqualTo(1);
		assertThat(estimateTokens("abcde")).isEqualTo(2);
	}

	@Test
	void aSmallContextIsRenderedWholeWithEverySection() {
		ResearchContext context = Contexts.context(30, 2, 2);

		String digest = renderer.render(context, 100_000);

		assertThat(digest).startsWith("# Experiment micro-gpt\nObjective: val_loss, minimize. Each run gets 2m.")
			.contains("## Brief\nLower val_loss.")
			.contains("- lr: float in [0.0001, 0.03], log scale, default 0.003")
			.contains("- n_embd: int in [8, 64], default 16")
			.contains("- act: one of tanh, relu; default tanh")
			.contains("## Best run\nrun 17 · SUCCEEDED · val_loss 1.5 (Δ -0.55) · KEEP · lr=0.001017, n_embd=25, act=tanh")
			.contains("changed from the defaults: lr 0.003→0.001017, n_embd 16→25")
			.contains("```diff\n--- a/train.py")
			.contains("Baseline: run 1, val_loss 2.01 (SUCCEEDED). Deltas (Δ) below are against it.")
			.contains("## Recent runs, newest first (all 30)")
			.contains("- run 28 · FAILED · lr=0.001028, n_embd=36, act=relu · question 5028 · "
					+ "RuntimeError: CUDA error: device-side assert triggered (run 28) (exited with code 1)\n")
			.contains("- question 101 · REFUTED · 3 runs · Does changing knob 101")
			.contains("  conclusion: Conclusion 101: three runs, no change beyond noise.")
			.contains("## Open questions (all 3)")
			.contains("- proposal 701 · VETOED · lr=0.02 · question: Is a high learning rate stable?\n"
					+ "  reason: Reason 701: too close to the divergence seen in run 12.")
			.contains("RuntimeError: CUDA error: device-side assert triggered (run 28)")
			.contains("Runs left: 40. Proposals waiting to run: 1.")
			.doesNotContain("Over budget");
		assertThat(renderer.render(context, 100_000)).isEqualTo(digest);
	}

	@Test
	void aPrunedRunShowsWhereAndWhyItWasStopped() {
		RunSummary best = Contexts.run(Contexts.BEST_RUN);
		RunSummary pruned = new RunSummary(9, 1009L, 5009L, "PROPOSAL", "PRUNED", Map.of("lr", 0.09), 2.9, 1.4,
				"DISCARD", null, "median rule: val_loss 2.9 at step 300 is worse than the median 2.1 of 7 runs",
				Instant.parse("2026-01-01T01:00:00Z"));
		ResearchContext context = new ResearchContext(1, Contexts.spec(), best, null, List.of(pruned, best), List.of(),
				List.of(), List.of(), List.of(), List.of(), List.of(), null, 1);

		String digest = renderer.render(context, 4000);

		assertThat(digest).contains("run 9 · PRUNED · val_loss 2.9 where stopped · DISCARD")
			.contains("stopped early by median rule: val_loss 2.9 at step 300 is worse than the median 2.1 of 7 runs")
			.doesNotContain("(Δ +1.4");
	}

	@Test
	void aNewExperimentWithNothingYetIsRenderedPlainly() {
		ResearchContext empty = new ResearchContext(1, Contexts.spec(), null, null, List.of(), List.of(), List.of(),
				List.of(), List.of(), List.of(), List.of(), null, 1);

		String digest = renderer.render(empty, 1000);

		assertThat(digest).contains("## Best run\nNone yet: no run has succeeded.\n")
			.contains("## Recent runs, newest first (all 0)\n(none)\n")
			.contains("## Dead ends and refuted questions (all 0; do not propose these again)\n(none)\n")
			.contains("Runs left: no limit. Proposals waiting to run: 0.");
	}

	@Test
	void olderRecentRunsAreTrimmedFirst() {
		ResearchContext context = Contexts.context(300, 10, 10);
		int budget = estimateTokens(DigestWriter.write(context, Detail.FULL.withRecentRuns(40)));

		String digest = renderer.render(context, budget);

		assertThat(digest).isEqualTo(DigestWriter.write(context, Detail.FULL.withRecentRuns(40)))
			.contains("(40 of 300)")
			.contains("- run 261 · ")
			.doesNotContain("- run 260 · ");
		assertThat(crashTailLines(digest)).isEqualTo(30 * 5);
	}

	@Test
	void crashTailsGoNextThenTopRunDetailsThenTheDiff() {
		ResearchContext context = Contexts.context(300, 10, 10);
		Detail fewRuns = Detail.FULL.withRecentRuns(5);
		int crashTrimmed = estimateTokens(DigestWriter.write(context, fewRuns.withCrashLines(3)));
		int topTrimmed = estimateTokens(DigestWriter.write(context, fewRuns.withCrashLines(0).withoutTopRunParams()));

		String shorterTails = renderer.render(context, crashTrimmed);
		String compactTop = renderer.render(context, topTrimmed);

		assertThat(crashTailLines(shorterTails)).isEqualTo(3 * 5);
		assertThat(shorterTails).contains("- run 12 · SUCCEEDED").contains("(5 of 300)");
		assertThat(compactTop).contains("## Top runs\nrun 17 1.5, run 12 2.12, run 25 2.12, run 38 2.12, run 51 2.12\n")
			.contains("```diff");
	}

	@Test
	void theBestRunNewestRunsDeadEndsAndVetoReasonsSurviveATightBudget() {
		ResearchContext context = Contexts.context(500, 40, 30);

		String digest = renderer.render(context, 2500);

		assertThat(estimateTokens(digest)).isLessThanOrEqualTo(2500);
		assertThat(digest).contains("run 17 · SUCCEEDED · val_loss 1.5").contains("diff: 83 lines, left out");
		for (long run = 500; run > 495; run--) {
			assertThat(digest).contains("- run " + run + " · ");
		}
		context.deadEnds().forEach(deadEnd -> assertThat(digest).contains("q" + deadEnd.id() + " " + deadEnd.status() + ": Does changing knob " + deadEnd.id()));
		context.vetoes().forEach(veto -> assertThat(digest).contains("p" + veto.proposalId() + " " + veto.status() + ": Reason " + veto.proposalId()));
	}

	@Test
	void aBudgetTooSmallForWhatMustStaySaysSoAndStillListsEverything() {
		ResearchContext context = Contexts.context(500, 40, 30);

		String digest = renderer.render(context, 300);

		assertThat(digest).startsWith("[Over budget: about ").contains("for a budget of 300");
		assertThat(digest).contains("run 17 · SUCCEEDED");
		context.deadEnds().forEach(deadEnd -> assertThat(digest).contains("- q" + deadEnd.id() + " "));
		context.vetoes().forEach(veto -> assertThat(digest).contains("- p" + veto.proposalId() + " " + veto.status() + ": Reason"));
		for (long run = 500; run > 495; run--) {
			assertThat(digest).contains("- run " + run + " · ");
		}
	}

	private static long crashTailLines(String digest) {
		return digest.lines().filter(line -> line.startsWith("run ") && line.contains(" step ")
				|| line.startsWith("RuntimeError")).count();
	}
}
