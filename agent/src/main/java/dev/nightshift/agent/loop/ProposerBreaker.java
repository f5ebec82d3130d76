package dev.nightshift.agent.loop;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopId;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps a proposer that keeps failing from being called without pause: after a call whose every proposal was
 * rejected, or that ended in an error, the loop rests (the wait doubles with each failure in a row, up to a cap);
 * after {@code nightshift.loop.breaker.max-consecutive-failures} in a row it pauses itself, quoting the last
 * rejection reasons, until a person resumes it. It also holds the hourly ceiling on calls to a model. All of it
 * lives on the loop's row, so a restart neither resets the count nor hands out a fresh hour.
 */
@Component
class ProposerBreaker {

	private static final Logger log = LoggerFactory.getLogger(ProposerBreaker.class);

	/** Rejection reasons quoted when the loop pauses, and the longest quote of each. */
	static final int QUOTED = 3;
	private static final int QUOTE_CHARS = 300;

	private final LoopRepository loops;
	private final TransactionTemplate transactions;
	private final JdbcClient jdbc;
	private final LoopProperties.Breaker settings;
	private final Clock clock;

	ProposerBreaker(LoopRepository loops, TransactionTemplate transactions, JdbcClient jdbc, LoopProperties properties,
			ObjectProvider<Clock> clock) {
		this.loops = loops;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.settings = properties.breaker();
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** Until when the loop's proposer rests after failing; empty when it may be asked now. */
	Optional<Instant> resting(Loop loop) {
		Instant now = clock.instant();
		return loop.proposerRestsUntil().filter(now::isBefore);
	}

	/** Counts one call against the hourly ceiling; false (and nothing counted) when this hour's calls are spent. */
	boolean takeCall(LoopId id, int perHour) {
		return Boolean.TRUE.equals(transactions.execute(tx -> {
			Loop loop = loops.findById(id.value()).orElseThrow();
			boolean allowed = loop.takeCall(clock.instant(), perHour);
			loops.save(loop);
			return allowed;
		}));
	}

	/**
	 * Judges a call by what it made: a usable proposal resets the count, nothing but rejections is a failure.
	 * A call that made nothing at all is neither (the loop decides what that means).
	 */
	void after(LoopId id, String proposer, List<Proposal> made) {
		if (made.isEmpty()) {
			return;
		}
		if (made.stream().anyMatch(proposal -> proposal.status() != ProposalStatus.REJECTED)) {
			transactions.executeWithoutResult(tx -> {
				Loop loop = loops.findById(id.value()).orElseThrow();
				if (loop.proposerFailures() > 0 || loop.proposerRestsUntil().isPresent()) {
					loop.proposerSucceeded();
					loops.save(loop);
				}
			});
			return;
		}
		failed(id, proposer, made.stream().map(p -> p.statusReason().orElse("rejected")).toList());
	}

	/** A failed call: the loop rests, or pauses when that was one failure too many. */
	void failed(LoopId id, String proposer, List<String> reasons) {
		transactions.executeWithoutResult(tx -> {
			Loop loop = loops.findById(id.value()).orElseThrow();
			if (loop.status() != LoopStatus.RUNNING) {
				return;
			}
			Instant now = clock.instant();
			int failures = loop.proposerFailures() + 1;
			loop.proposerFailed(now.plus(settings.backoffAfter(failures)));
			if (failures >= settings.maxConsecutiveFailures()) {
				String reason = "paused by its breaker: " + proposer + " failed " + failures
						+ " times in a row (every proposal rejected, or an agent error); last reasons: "
						+ quote(loop, reasons) + ". Resume the loop to try again.";
				loop.pauseItself(reason);
				log.warn("Loop {} {}", id, reason);
			}
			else {
				log.info("Loop {}: {} failed ({} in a row); its next call waits until {}", id, proposer, failures,
						loop.proposerRestsUntil().orElse(now));
			}
			loops.save(loop);
		});
	}

	/** The reasons of this call first, then the latest earlier rejections of the loop, each once. */
	private String quote(Loop loop, List<String> latest) {
		Set<String> reasons = new LinkedHashSet<>();
		List<String> earlier = jdbc.sql("""
				select status_reason from proposal
				where experiment_id = :e and status = 'REJECTED' and created_at >= :since and status_reason is not null
				order by id desc limit :n""")
			.param("e", loop.experimentId().value())
			.param("since", Timestamp.from(loop.startedAt()))
			.param("n", QUOTED * 2)
			.query(String.class)
			.list();
		List<String> all = new ArrayList<>(latest);
		all.addAll(earlier);
		for (String reason : all) {
			if (reasons.size() == QUOTED) {
				break;
			}
			String text = reason.strip().replaceAll("\\s+", " ");
			reasons.add(text.length() > QUOTE_CHARS ? text.substring(0, QUOTE_CHARS) + "…" : text);
		}
		return reasons.stream().map(reason -> "«" + reason + "»").reduce((a, b) -> a + "; " + b).orElse("none recorded");
	}
}
