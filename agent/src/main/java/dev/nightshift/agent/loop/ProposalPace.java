package dev.nightshift.agent.loop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.loop.LoopControl;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far ahead a loop asks. A call for proposals takes the model's latency; every run that ends before the
 * answer can come back must find a proposal ready, or its slot waits. Two counts, the larger wins:
 * <ul>
 * <li>the rate: while a call is on its way the slots finish {@code slots × latency ÷ run duration} runs, plus one;
 * <li>the runs about to end: those of the experiment's running runs that are expected to end within the
 * horizon (one and a half latencies plus a loop tick, the longest a proposal asked now may take to be ready), each
 * expected to take the mean duration. Runs started together end together: eight slots that started at once free
 * at once, and a rate spread evenly over the run would leave most of them waiting a whole call. Before any run of
 * the experiment has ended nothing can be expected, so every running run counts: a proposal asked now then knows
 * exactly what one asked at their end would (no result), and none is made blind that could have seen more.
 * </ul>
 * The latency is a moving mean of each proposer's latest calls (kept in memory: a restarted server learns it
 * again from its first calls); the run duration is the mean of the experiment's latest finished runs.
 */
@Component
class ProposalPace {

	/** Finished runs the run duration is taken over. */
	static final int RECENT_RUNS = 20;

	/** The weight of the newest call in the latency's moving mean. */
	private static final double NEWEST = 0.3;

	/** How many mean latencies ahead a run's end counts as near: room for a call slower than the mean. */
	static final double LATENCY_MARGIN = 1.5;

	private final JdbcClient jdbc;
	private final double tickSeconds;
	private final Map<String, Double> latencySeconds = new ConcurrentHashMap<>();

	ProposalPace(JdbcClient jdbc, LoopProperties properties) {
		this.jdbc = jdbc;
		this.tickSeconds = properties.tick().toNanos() / 1e9;
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
	 * The lookahead for {@code slots} slots, at least the loop's own and at most the most a loop may have. A
	 * lookahead of 0 stays 0: such a loop asks only for what the free slots need, each proposal seeing every result
	 * before it (the sequential loop, as autoresearch works), however slow the model.
	 *
	 * @param latencySeconds the mean latency of a call; 0 before the first
	 * @param runSeconds     the mean duration of the experiment's finished runs; null when none has finished
	 * @param runningFor     how long each running run has been running, in seconds
	 * @param tickSeconds    the loop's tick: a step may come that much after a run enters the horizon
	 */
	static int ahead(int slots, double latencySeconds, Double runSeconds, List<Double> runningFor,
			double tickSeconds, int loopLookahead) {
		if (loopLookahead == 0 || latencySeconds <= 0) {
			return loopLookahead;
		}
		int byRate = 0;
		long ending;
		if (runSeconds == null || runSeconds <= 0) {
			ending = runningFor.size();
		}
		else {
			byRate = (int) Math.ceil(slots * latencySeconds / runSeconds) + 1;
			double horizon = LATENCY_MARGIN * latencySeconds + tickSeconds;
			ending = runningFor.stream().filter(elapsed -> runSeconds - elapsed <= horizon).count();
		}
		int needed = (int) Math.max(byRate, ending);
		return Math.max(loopLookahead, Math.min(needed, LoopControl.MAX_LOOKAHEAD));
	}

	/** Proposals to keep ready beyond the runs going, for {@code proposer} feeding {@code slots} slots. */
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
		List<Double> runningFor = jdbc.sql("""
				select extract(epoch from (now() - started_at)) from run
				where experiment_id = :e and status in ('STARTING', 'RUNNING') and started_at is not null""")
			.param("e", experiment.value())
			.query(Double.class)
			.list();
		return ahead(slots, latency, runSeconds, runningFor, tickSeconds, loopLookahead);
	}
}
