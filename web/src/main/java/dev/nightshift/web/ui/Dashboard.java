package dev.nightshift.web.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.scheduler.dispatch.SlotBoard;
import dev.nightshift.scheduler.slot.GpuInfo;
import dev.nightshift.scheduler.slot.Slot;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What the dashboard shows: every experiment with its loop's progress, and every slot with what it runs. */
@Component
class Dashboard {

	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final LoopBoard loops;
	private final SlotBoard board;
	private final JdbcClient jdbc;

	Dashboard(ExperimentRepository experiments, RunRepository runs, LoopBoard loops, SlotBoard board,
			JdbcClient jdbc) {
		this.experiments = experiments;
		this.runs = runs;
		this.loops = loops;
		this.board = board;
		this.jdbc = jdbc;
	}

	/**
	 * One experiment's line.
	 *
	 * @param active runs queued, starting or running
	 * @param best   the objective of its best run, if it has one
	 * @param loop   its latest loop, or null
	 */
	record ExperimentCard(long id, String name, String objective, long runs, long active, Long bestRunId,
			Double best, LoopBoard.View loop) {
	}

	/**
	 * One slot.
	 *
	 * @param runId   the run it executes, or null when free
	 * @param since   when that run started (or was claimed)
	 * @param elapsed for how long
	 */
	record SlotRow(String id, String device, String memory, Long runId, Long experimentId, String experiment,
			String runStatus, Instant since, String elapsed) {
	}

	record View(List<ExperimentCard> experiments, List<SlotRow> slots) {
	}

	@Transactional(readOnly = true)
	View view() {
		List<Experiment> all = experiments.findAll(Sort.by("id"));
		Map<Long, long[]> counts = runCounts();
		Map<Long, LoopBoard.View> latestLoops = loops.latestByExperiment();
		Map<Long, Double> bestObjectives = new HashMap<>();
		runs.findAllById(all.stream().map(e -> e.bestRunId().orElse(null)).filter(Objects::nonNull).toList())
			.forEach(run -> run.objective().ifPresent(value -> bestObjectives.put(run.id().value(), value)));
		List<ExperimentCard> cards = all.stream().map(e -> {
			long[] count = counts.getOrDefault(e.id().value(), new long[2]);
			Long bestRun = e.bestRunId().orElse(null);
			return new ExperimentCard(e.id().value(), e.name(), objective(e), count[0], count[1], bestRun,
					bestRun == null ? null : bestObjectives.get(bestRun), latestLoops.get(e.id().value()));
		}).toList();
		Map<Long, String> names = all.stream().collect(Collectors.toMap(e -> e.id().value(), Experiment::name));
		return new View(cards, slots(names));
	}

	static String objective(Experiment e) {
		return e.spec().objective().goal().name().toLowerCase() + " " + e.spec().objective().metric();
	}

	/** Per experiment: all runs, and those not finished; the index on (experiment_id, status) answers it. */
	private Map<Long, long[]> runCounts() {
		Map<Long, long[]> counts = new HashMap<>();
		jdbc.sql("""
				select experiment_id, count(*) as total,
				       count(*) filter (where status in ('QUEUED', 'STARTING', 'RUNNING')) as active
				from run group by experiment_id""")
			.query(rs -> {
				counts.put(rs.getLong("experiment_id"), new long[] { rs.getLong("total"), rs.getLong("active") });
			});
		return counts;
	}

	private List<SlotRow> slots(Map<Long, String> names) {
		Map<Slot, RunId> snapshot = board.snapshot();
		Map<Long, Run> running = runs.findAllById(snapshot.values().stream().filter(Objects::nonNull)
			.map(RunId::value).distinct().toList())
			.stream()
			.collect(Collectors.toMap(run -> run.id().value(), Function.identity()));
		Instant now = Instant.now();
		List<SlotRow> rows = new ArrayList<>();
		snapshot.forEach((slot, runId) -> {
			Run run = runId == null ? null : running.get(runId.value());
			Instant since = run == null ? null : run.startedAt().orElse(run.queuedAt());
			rows.add(new SlotRow(slot.id(), device(slot), memory(slot.gpu()), runId == null ? null : runId.value(),
					run == null ? null : run.experimentId().value(),
					run == null ? null : names.get(run.experimentId().value()),
					run == null ? null : run.status().name(), since, since == null ? null : Elapsed.between(since, now)));
		});
		return rows;
	}

	private static String device(Slot slot) {
		return slot.isGpu() ? "GPU " + slot.gpu().index() + " · " + slot.gpu().name() : "CPU slot";
	}

	private static String memory(GpuInfo gpu) {
		if (gpu == null || gpu.memoryTotalMb() == null) {
			return null;
		}
		// Used memory was read once at start, so only the total is worth showing.
		return String.format("%.0f GiB", gpu.memoryTotalMb() / 1024.0);
	}
}
