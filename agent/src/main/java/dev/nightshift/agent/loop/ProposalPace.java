package dev.nightshift.agent.loop;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.loop.LoopControl;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far ahead a loop asks: while a call for proposals is on its way (the model's latency, as observed), the
 * slots finish {@code slots × latency ÷ run duration} runs, and each of those must find a proposal ready. So a
 * loop keeps its {@code lookahead}, or more when the model is slow against the runs. The latency is the mean of
 * the latest calls of each proposer (kept in memory: a restarted server learns it again from its first calls);
 * the run duration is the mean of the experiment's latest finished runs.
 */
@Component
class ProposalPace {

	/** Finished runs the run duration is taken over. */
	static final int RECENT_RUNS = 20;

	/** The weight of the newest call in the latency's moving mean. */
	private static final double NEWEST = 0.3;

	private final JdbcClient jdbc;
	private final Map<String, Double> latencySeconds = new ConcurrentHashMap<>();

	ProposalPace(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records how long a call of {@code proposer} took. */
	void observed(String proposer, Duration latency) {
		double seconds = latency.toNanos() / 1e9;
		latencySeconds.merge(proposer, seconds, (mean, latest) -> mean + NEWEST * (latest - mean));
	}

	/** The mean latency of {@code proposer}'s calls; zero before its first. */
	Duration latency(String proposer) {
		return Duration.ofNanos((long) (latencySeconds.getOrDefault(proposer, 0.0) * 1e9));
	}

	/**
	 * The lookahead for {@code slots} slots whose runs take {@code runSeconds} (null when none has finished yet)
	 * while a call takes {@code latencySeconds}: at least the loop's own, at most the most a loop may have. A
	 * lookahead of 0 stays 0: such a loop asks only for what the free slots need, each proposal seeing every result
	 * before it (the sequential loop, as autoresearch works), however slow the model.
	 */
	static int ahead(int slots, double latencySeconds, Double runSeconds, int loopLookahead) {
		if (loopLookahead == 0 || latencySeconds <= 0 || runSeconds == null || runSeconds <= 0) {
			return loopLookahead;
		}
		int needed = (int) Math.ceil(slots * latencySeconds / runSeconds) + 1;
		return Math.max(loopLookahead, Math.min(needed, LoopControl.MAX_LOOKAHEAD));
	}

	/**
	 * Proposals to keep ready beyond the runs going: the loop's own lookahead, or enough to cover the runs that
	 * end while one call is on its way, plus one.
	 */
	int lookahead(ExperimentId experiment, String proposer, int slots, int loopLookahead) {
		double latency = latencySeconds.getOrDefault(proposer, 0.0);
		if (latency <= 0 || loopLookahead == 0) {
			return loopLookahead;
		}
		Double runSeconds = jdbc.sql("""
				select avg(extract(epoch from (finished_at - started_at))) from (
				  select started_at, finished_at from run
				  where experiment_id = :e and started_at is not null and finished_at is not null
				  order by finished_at desc limit :n) recent""")
			.param("e", experiment.value())
			.param("n", RECENT_RUNS)
			.query(Double.class)
			.optional()
			.orElse(null);
		return ahead(slots, latency, runSeconds, loopLookahead);
	}
}
