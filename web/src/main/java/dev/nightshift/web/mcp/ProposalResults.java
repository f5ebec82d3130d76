package dev.nightshift.web.mcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.ProposalStatusChanged;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunFinished;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.Verdict;
import dev.nightshift.experiments.verdict.RunJudged;
import dev.nightshift.scheduler.process.RunLog;
import dev.nightshift.scheduler.sharedlog.SharedLogs;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Where a proposal stands with its runs, and the wait for it to settle: a proposal is settled when it was
 * refused (vetoed, rejected, withdrawn) or when it is done and each of its runs has ended and been judged
 * (a CONFIRMING run waits for its replicates). The wait wakes on the events that move a proposal or a run,
 * and looks again at least every second, so an event that slips past it costs a second, never the answer.
 */
@Component
class ProposalResults {

	private static final Set<ProposalStatus> REFUSED = EnumSet.of(ProposalStatus.VETOED, ProposalStatus.REJECTED,
			ProposalStatus.WITHDRAWN);

	private static final Duration RECHECK = Duration.ofSeconds(1);

	private static final int LOG_WINDOW = 64 * 1024;

	private final ProposalRepository proposals;
	private final RunRepository runs;
	private final JdbcClient jdbc;
	private final NightshiftHome home;
	private final Object changed = new Object();

	private final SharedLogs sharedLogs;

	ProposalResults(ProposalRepository proposals, RunRepository runs, JdbcClient jdbc, NightshiftHome home,
			SharedLogs sharedLogs) {
		this.sharedLogs = sharedLogs;
		this.proposals = proposals;
		this.runs = runs;
		this.jdbc = jdbc;
		this.home = home;
	}

	/** One run of a proposal: its outcome, objective, verdict and why, and the end of its log. */
	record RunResult(long id, String kind, String status, Double objective, String verdict, String verdictReason,
			String error, Double peakMemoryMb, String commit, String logTail) {
	}

	/** A proposal with its runs; {@code settled} says whether anything is still to come. */
	record Status(long proposalId, long experimentId, long questionId, String status, String reason,
			String decidedBy, String proposer, boolean settled, List<RunResult> runs) {
	}

	Status status(ProposalId id, int logLines) {
		Proposal proposal = proposals.require(id);
		List<Run> found = jdbc.sql("select id from run where proposal_id = ? order by id")
			.param(id.value())
			.query(Long.class)
			.list()
			.stream()
			.map(run -> runs.require(new RunId(run)))
			.toList();
		List<RunResult> results = found.stream()
			.map(run -> new RunResult(run.id().value(), run.kind().name(), run.status().name(),
					run.objective().orElse(null), run.verdict().map(Enum::name).orElse(null),
					run.verdictReason().orElse(null), run.error().orElse(null), run.peakMemoryMb().orElse(null),
					run.commit().orElse(null), run.status().isFinished() ? logTail(run.id(), logLines) : null))
			.toList();
		return new Status(id.value(), proposal.experimentId().value(), proposal.questionId().value(),
				proposal.status().name(), proposal.statusReason().orElse(null), proposal.decidedBy().orElse(null),
				proposal.proposer(), settled(proposal, found), results);
	}

	/** Blocks until the proposal is settled or {@code timeout} has passed, and says where it stands then. */
	Status await(ProposalId id, Duration timeout, int logLines) {
		Instant deadline = Instant.now().plus(timeout);
		while (true) {
			Status now = status(id, logLines);
			Duration left = Duration.between(Instant.now(), deadline);
			if (now.settled() || left.isNegative() || left.isZero()) {
				return now;
			}
			synchronized (changed) {
				try {
					changed.wait(Math.max(1, Math.min(left.toMillis(), RECHECK.toMillis())));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return now;
				}
			}
		}
	}

	private static boolean settled(Proposal proposal, List<Run> found) {
		if (REFUSED.contains(proposal.status())) {
			return true;
		}
		return proposal.status() == ProposalStatus.DONE && !found.isEmpty()
				&& found.stream().allMatch(run -> run.status().isFinished()
						&& (run.status() != RunStatus.SUCCEEDED
								|| run.verdict().filter(verdict -> verdict != Verdict.CONFIRMING).isPresent()));
	}

	/** The last {@code lines} lines of the run's log; null when it has none. */
	String logTail(RunId run, int lines) {
		try {
			Optional<SeekableByteChannel> opened = RunLog.open(RunLog.of(home.runsDirectory().resolve(run.toString())));
			if (opened.isEmpty()) {
				// Run by another server on the same database: the end of its log as that server shipped it.
				return sharedLogs.tail(run).map(tail -> lastLines(tail.bytes(), tail.start() > 0, lines)).orElse(null);
			}
			try (SeekableByteChannel channel = opened.get()) {
				long start = Math.max(0, channel.size() - LOG_WINDOW);
				ByteBuffer bytes = ByteBuffer.allocate((int) (channel.size() - start));
				channel.position(start);
				while (bytes.hasRemaining() && channel.read(bytes) > 0) {
					// reads until the window is full
				}
				return lastLines(java.util.Arrays.copyOf(bytes.array(), bytes.position()), start > 0, lines);
			}
		}
		catch (IOException unreadable) {
			return null;
		}
	}

	/** The last lines of a window of a log; {@code cut} when the window may begin inside a line. */
	private static String lastLines(byte[] window, boolean cut, int lines) {
		String text = new String(window, StandardCharsets.UTF_8);
		List<String> all = text.replace("\r\n", "\n").replace('\r', '\n').lines().toList();
		// The window may begin inside a line: drop it, unless the window is the whole log.
		List<String> whole = cut && all.size() > 1 ? all.subList(1, all.size()) : all;
		return String.join("\n", whole.subList(Math.max(0, whole.size() - lines), whole.size()));
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void on(RunJudged judged) {
		wakeWaiters();
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void on(RunFinished finished) {
		wakeWaiters();
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void on(ProposalStatusChanged change) {
		wakeWaiters();
	}

	private void wakeWaiters() {
		synchronized (changed) {
			changed.notifyAll();
		}
	}
}
