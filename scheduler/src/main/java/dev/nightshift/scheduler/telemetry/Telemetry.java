package dev.nightshift.scheduler.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.experiments.run.RunUsages;
import dev.nightshift.scheduler.SchedulerProperties;
import dev.nightshift.scheduler.dispatch.SlotBoard;
import dev.nightshift.scheduler.execution.LocalExecutor;
import dev.nightshift.scheduler.process.ProcessUsage;
import dev.nightshift.scheduler.process.SupervisedRun;
import dev.nightshift.scheduler.slot.Slot;
import dev.nightshift.scheduler.slot.SlotInventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Samples the slots every {@code nightshift.scheduler.telemetry.interval} on a thread of its own: one
 * {@code nvidia-smi} call for all GPUs, attributed to the runs holding them, and for a run without a GPU its
 * process tree in {@code /proc}. Keeps each slot's latest load for the dashboard and each running run's
 * aggregates in memory; writes a run's aggregates every {@code flush} and once it has left its slots, and all of
 * them when the server stops. A restarted server continues a run's aggregates from what was written.
 */
@Component
public class Telemetry implements SmartInitializingSingleton, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

	// Linux reports CPU time in USER_HZ ticks, 100 a second on every architecture it runs on (a fixed ABI value).
	private static final double TICKS_PER_SECOND = 100;

	private final SlotBoard board;
	private final SlotInventory inventory;
	private final LocalExecutor executor;
	private final RunUsages usages;
	private final RunRepository runs;
	private final GpuReader gpus;
	private final SchedulerProperties.Telemetry settings;
	private final Map<RunId, UsageAggregate> aggregates = new ConcurrentHashMap<>();
	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
		Thread t = new Thread(task, "nightshift-telemetry");
		t.setDaemon(true);
		return t;
	});
	private volatile Map<String, SlotLoad> current = Map.of();

	Telemetry(SlotBoard board, SlotInventory inventory, LocalExecutor executor, RunUsages usages, RunRepository runs,
			SchedulerProperties properties) {
		this.board = board;
		this.inventory = inventory;
		this.executor = executor;
		this.usages = usages;
		this.runs = runs;
		this.gpus = new GpuReader(properties.nvidiaSmi());
		this.settings = properties.telemetry();
	}

	@Override
	public void afterSingletonsInstantiated() {
		long every = settings.interval().toMillis();
		thread.scheduleWithFixedDelay(this::sampleSafely, every, every, TimeUnit.MILLISECONDS);
	}

	/** Every slot's load in the latest sample, by slot id; a slot with nothing to report is absent. */
	public Map<String, SlotLoad> current() {
		return current;
	}

	/** The aggregates of a run being sampled now, fresher than what was last written. */
	public Optional<RunUsage> live(RunId run) {
		return Optional.ofNullable(aggregates.get(run)).filter(UsageAggregate::sampled).map(UsageAggregate::snapshot);
	}

	private void sampleSafely() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			log.warn("A telemetry sample failed; the next one comes in {}", settings.interval(), ex);
		}
	}

	/** One round: read, attribute, aggregate, write what is due. */
	synchronized void sample() {
		long now = System.nanoTime();
		Instant at = Instant.now();
		Map<Slot, RunId> held = board.snapshot();
		Map<Integer, GpuReading> readings = new HashMap<>();
		if (inventory.hasGpus()) {
			gpus.read().ifPresent(list -> list.forEach(r -> readings.put(r.index(), r)));
		}
		Map<String, SlotLoad> loads = new LinkedHashMap<>();
		Map<RunId, List<Slot>> slotsOf = new LinkedHashMap<>();
		held.forEach((slot, run) -> {
			if (slot.isGpu() && readings.containsKey(slot.gpu().index())) {
				GpuReading r = readings.get(slot.gpu().index());
				loads.put(slot.id(), new SlotLoad(slot.id(), RunUsage.GPU, r.utilization() == null ? null
						: r.utilization().doubleValue(), r.memoryUsedMb() == null ? null : r.memoryUsedMb().doubleValue(),
						r.memoryTotalMb(), r.temperatureC(), r.powerW(), at));
			}
			if (run != null) {
				slotsOf.computeIfAbsent(run, id -> new ArrayList<>()).add(slot);
			}
		});
		slotsOf.forEach((run, slots) -> executor.process(run)
			.filter(process -> !process.processesEnded().isDone())
			.ifPresent(process -> sampleRun(run, slots, process, readings, loads, now, at)));
		current = Map.copyOf(loads);
		// Runs that left their slots are done: their aggregates are written one last time.
		for (RunId run : List.copyOf(aggregates.keySet())) {
			if (!slotsOf.containsKey(run)) {
				write(run, aggregates.remove(run));
			}
		}
	}

	private void sampleRun(RunId run, List<Slot> slots, SupervisedRun process, Map<Integer, GpuReading> readings,
			Map<String, SlotLoad> loads, long now, Instant at) {
		UsageAggregate aggregate = aggregates.computeIfAbsent(run, id -> start(id, now));
		if (aggregate.kind.equals(RunUsage.GPU)) {
			List<GpuReading> mine = slots.stream().filter(Slot::isGpu).map(s -> readings.get(s.gpu().index()))
				.filter(Objects::nonNull).filter(r -> r.utilization() != null).toList();
			if (!mine.isEmpty()) {
				double utilization = mine.stream().mapToInt(GpuReading::utilization).average().orElse(0);
				boolean memoryKnown = mine.stream().anyMatch(r -> r.memoryUsedMb() != null);
				double memory = mine.stream().map(GpuReading::memoryUsedMb).filter(Objects::nonNull).mapToLong(m -> m).sum();
				aggregate.add(utilization, memoryKnown ? memory : null);
			}
		}
		else {
			ProcessUsage usage = ProcessUsage.read(process.processes());
			if (aggregate.previous != null) {
				double seconds = (now - aggregate.previousNanos) / 1e9;
				double utilization = seconds <= 0 ? 0 : usage.ticksSince(aggregate.previous) / TICKS_PER_SECOND / seconds * 100;
				double memory = usage.residentBytes() / (1024.0 * 1024.0);
				aggregate.add(utilization, memory);
				for (Slot slot : slots) {
					if (!slot.isGpu()) {
						loads.put(slot.id(), new SlotLoad(slot.id(), RunUsage.CPU, utilization, memory, null, null, null, at));
					}
				}
			}
			aggregate.previous = usage;
			aggregate.previousNanos = now;
		}
		if (aggregate.sampled() && now - aggregate.lastWrittenNanos >= settings.flush().toNanos()) {
			write(run, aggregate);
			aggregate.lastWrittenNanos = now;
		}
	}

	/** A run seen for the first time (by this server): GPU when it was given GPUs, its stored aggregates continued. */
	private UsageAggregate start(RunId run, long now) {
		boolean gpu = runs.findById(run.value()).flatMap(Run::gpuIds).filter(ids -> !ids.isBlank()).isPresent();
		RunUsage stored = usages.of(run).orElse(null);
		return new UsageAggregate(gpu ? RunUsage.GPU : RunUsage.CPU, stored, now);
	}

	private void write(RunId run, UsageAggregate aggregate) {
		if (aggregate == null || !aggregate.sampled()) {
			return;
		}
		try {
			usages.save(run, aggregate.snapshot());
		}
		catch (RuntimeException ex) {
			log.warn("Could not write the usage of run {}: {}", run, ex.getMessage());
		}
	}

	@Override
	public void destroy() {
		thread.shutdownNow();
		try {
			thread.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// A server that stops leaves its runs training; what they used so far is kept for the next start.
		synchronized (this) {
			aggregates.forEach(this::write);
		}
	}
}
