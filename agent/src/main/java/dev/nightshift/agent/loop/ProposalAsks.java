package dev.nightshift.agent.loop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.nightshift.experiments.loop.LoopId;
import org.springframework.stereotype.Component;

/**
 * The proposals each loop has asked for and not yet received: a step counts them as on their way, so that
 * two calls never cover the same shortfall. In memory: after a restart no call is on its way.
 */
@Component
class ProposalAsks {

	private final Map<LoopId, Integer> inFlight = new ConcurrentHashMap<>();

	/** Proposals of {@code loop} asked for and not yet recorded. */
	int inFlight(LoopId loop) {
		return inFlight.getOrDefault(loop, 0);
	}

	void asked(LoopId loop, int proposals) {
		inFlight.merge(loop, proposals, Integer::sum);
	}

	void answered(LoopId loop, int proposals) {
		inFlight.computeIfPresent(loop, (id, count) -> count - proposals <= 0 ? null : count - proposals);
	}
}
