package dev.nightshift.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.llm.AgentProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The model executor: a queued proposal call goes before queued reflections, reflections leave a thread to
 * proposals, a built-in strategy is asked on the caller's thread; and how far ahead a loop plans against a slow model. Latches, no clocks.
 */
class ModelCallsTest {

	private final ModelCalls calls = new ModelCalls(new AgentProperties(null, null, null, null, null, null, null, null,
			null, null, null, null, null, null, null, null, 1, null));

	@AfterEach
	void stop() {
		calls.destroy();
	}

	@Test
	void aQueuedProposalCallGoesBeforeQueuedReflections() throws InterruptedException {
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(4);
		calls.forProposer(proposer(true), ModelCalls.Kind.REFLECTION).execute(() -> {
			running.countDown();
			await(release);
			order.add("reflection on its way");
			done.countDown();
		});
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		for (String name : List.of("reflection 1", "proposal", "reflection 2")) {
			ModelCalls.Kind kind = name.startsWith("proposal") ? ModelCalls.Kind.PROPOSAL : ModelCalls.Kind.REFLECTION;
			calls.forProposer(proposer(true), kind).execute(() -> {
				order.add(name);
				done.countDown();
			});
		}

		release.countDown();

		assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(order).containsExactly("reflection on its way", "proposal", "reflection 1", "reflection 2");
	}

	@Test
	void reflectionsNeverTakeEveryThreadSoAProposalCallRunsWhileTheyAreStuck() throws InterruptedException {
		ModelCalls two = new ModelCalls(new AgentProperties(null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null, 2, null));
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch reflected = new CountDownLatch(2);
		CountDownLatch proposed = new CountDownLatch(1);
		try {
			for (int i = 0; i < 2; i++) {
				two.forProposer(proposer(true), ModelCalls.Kind.REFLECTION).execute(() -> {
					await(release);
					reflected.countDown();
				});
			}
			two.forProposer(proposer(true), ModelCalls.Kind.PROPOSAL).execute(proposed::countDown);

			assertThat(proposed.await(30, TimeUnit.SECONDS)).as("the proposal ran while both reflections hung").isTrue();
			assertThat(reflected.getCount()).isEqualTo(2);
			release.countDown();
			assertThat(reflected.await(30, TimeUnit.SECONDS)).as("the held reflection ran after the first").isTrue();
		}
		finally {
			release.countDown();
			two.destroy();
		}
	}

	@Test
	void aBuiltInStrategyIsAskedOnTheCallersThread() {
		AtomicReference<Thread> asked = new AtomicReference<>();

		calls.forProposer(proposer(false), ModelCalls.Kind.PROPOSAL).execute(() -> asked.set(Thread.currentThread()));

		assertThat(asked.get()).isSameAs(Thread.currentThread());
	}

	@Test
	void aSlowModelAgainstShortRunsIsAskedFurtherAhead() {
		// 2 slots, 4 s runs, a 3 s model: 1.5 runs end during a call, so 2 more, plus one.
		assertThat(ProposalPace.ahead(2, 3.0, 4.0, List.of(), 5, 2)).isEqualTo(3);
		// 8 slots, 60 s runs, a 10 s model, the runs' ends spread over the minute: by the rate.
		assertThat(ProposalPace.ahead(8, 10.0, 60.0, List.of(1.0, 8.0, 15.0, 22.0, 29.0, 36.0, 43.0, 50.0), 5, 2))
			.isEqualTo(3);
		// A fast model: the loop's own lookahead.
		assertThat(ProposalPace.ahead(8, 0.1, 300.0, List.of(10.0, 20.0), 5, 2)).isEqualTo(2);
		// Never beyond the most a loop may have.
		assertThat(ProposalPace.ahead(64, 600.0, 1.0, List.of(), 5, 1)).isEqualTo(64);
		// A sequential loop (lookahead 0) stays sequential, however slow the model.
		assertThat(ProposalPace.ahead(2, 3.0, 4.0, List.of(3.9, 3.9), 5, 0)).isZero();
		// No call observed yet: the loop's own lookahead.
		assertThat(ProposalPace.ahead(8, 0, 60.0, List.of(59.0, 59.0), 5, 2)).isEqualTo(2);
	}

	@Test
	void runsThatStartedTogetherAreProvidedForBeforeTheyEndTogether() {
		List<Double> eightStartedAtOnce = List.of(41.0, 41.0, 41.0, 41.0, 41.0, 41.0, 41.0, 41.0);
		// 60 s runs, a 10 s model, a 5 s tick: all eight end within 1.5 calls and a tick, so eight are asked for.
		assertThat(ProposalPace.ahead(8, 10.0, 60.0, eightStartedAtOnce, 5, 2)).isEqualTo(8);
		// Earlier in the same runs none is near its end: the rate is enough, the rest is asked when it is.
		assertThat(ProposalPace.ahead(8, 10.0, 60.0, List.of(20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0), 5, 2))
			.isEqualTo(3);
		// Runs that overran the mean are about to end, too.
		assertThat(ProposalPace.ahead(8, 10.0, 60.0, List.of(90.0, 90.0, 90.0, 90.0, 1.0), 5, 2)).isEqualTo(4);
		// Before any run has ended, every running run counts: a proposal asked now knows what one asked later would.
		assertThat(ProposalPace.ahead(8, 10.0, null, eightStartedAtOnce, 5, 2)).isEqualTo(8);
		assertThat(ProposalPace.ahead(8, 10.0, null, List.of(), 5, 2)).isEqualTo(2);
	}

	private static Proposer proposer(boolean model) {
		return new Proposer() {

			@Override
			public String name() {
				return model ? "llm:test" : "strategy:test";
			}

			@Override
			public List<ProposalDraft> propose(ResearchContext context, int count) {
				return List.of();
			}

			@Override
			public boolean costsCalls() {
				return model;
			}
		};
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
