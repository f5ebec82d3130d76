package dev.nightshift.web.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.nightshift.agent.ModelCalled;
import dev.nightshift.agent.ProposalRejected;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunFinished;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.RunStatusChanged;
import dev.nightshift.experiments.verdict.RunJudged;
import dev.nightshift.scheduler.dispatch.SlotBoard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counters and timers moved where the event happens. The listeners run in the publisher's thread (and
 * transaction) and cost a map lookup and an addition; a failure here is logged and never reaches the domain.
 */
@Component
class DomainCounters {

	private static final Logger log = LoggerFactory.getLogger(DomainCounters.class);

	private static final Duration[] DURATION_BUCKETS = { Duration.ofSeconds(10), Duration.ofMinutes(1),
			Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4) };

	private static final Duration[] GAP_BUCKETS = { Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5) };

	private final MeterRegistry registry;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final SlotBoard board;
	private final Map<Long, String> names = new ConcurrentHashMap<>();

	DomainCounters(MeterRegistry registry, ExperimentRepository experiments, RunRepository runs, SlotBoard board) {
		this.registry = registry;
		this.experiments = experiments;
		this.runs = runs;
		this.board = board;
	}

	@EventListener
	void on(RunFinished finished) {
		guarded("a finished run", () -> {
			String experiment = name(finished.experimentId());
			String outcome = finished.outcome().name();
			Counter.builder("nightshift.runs.finished").description("Runs that reached an outcome")
				.tag("experiment", experiment).tag("outcome", outcome).register(registry).increment();
			runs.findById(finished.runId().value()).flatMap(Run::duration).ifPresent(took -> Timer
				.builder("nightshift.run.duration").description("From a run's start to its end")
				.tag("outcome", outcome).serviceLevelObjectives(DURATION_BUCKETS).register(registry).record(took));
		});
	}

	/** A run's process started: the time its slot stood free since the run before left it is a slot gap. */
	@EventListener
	void on(RunStatusChanged changed) {
		if (changed.to() != RunStatus.RUNNING) {
			return;
		}
		guarded("a started run", () -> runs.findById(changed.runId().value()).flatMap(Run::slot).ifPresent(slots -> {
			for (String slot : slots.split(",")) {
				board.takeFreedAt(slot).ifPresent(freed -> Timer.builder("nightshift.slot.gap")
					.description("From the end of a run's last process to the start of the next run on its slot")
					.serviceLevelObjectives(GAP_BUCKETS).register(registry)
					.record(Duration.between(freed, changed.at() == null ? Instant.now() : changed.at())));
			}
		}));
	}

	@EventListener
	void on(RunJudged judged) {
		guarded("a verdict", () -> Counter.builder("nightshift.verdicts").description("Verdicts on finished runs")
			.tag("experiment", name(judged.experimentId()))
			.tag("verdict", judged.verdict() == null ? "none" : judged.verdict().name())
			.register(registry).increment());
	}

	@EventListener
	void on(ProposalRejected rejected) {
		guarded("a rejection", () -> rejected.rules().forEach(rule -> Counter.builder("nightshift.proposals.rejected")
			.description("Rules broken by rejected proposals (a proposal may break several)")
			.tag("rule", rule).tag("proposer", Proposers.label(rejected.proposer()))
			.register(registry).increment()));
	}

	@EventListener
	void on(ModelCalled call) {
		guarded("a model call", () -> {
			Counter.builder("nightshift.model.calls").description("Requests to a model, each retry counted")
				.tag("provider", call.provider()).tag("model", call.model())
				.tag("outcome", call.answered() ? "answered" : "failed").register(registry).increment();
			Counter.builder("nightshift.model.tokens").description("Prompt and answer tokens")
				.tag("model", call.model()).tag("direction", "input").register(registry)
				.increment(call.usage().inputTokens());
			Counter.builder("nightshift.model.tokens").description("Prompt and answer tokens")
				.tag("model", call.model()).tag("direction", "output").register(registry)
				.increment(call.usage().outputTokens());
			Counter.builder("nightshift.model.cost").baseUnit("usd").description("Cost at the configured prices")
				.tag("model", call.model()).register(registry).increment(call.usage().costUsd());
		});
	}

	private String name(ExperimentId id) {
		return names.computeIfAbsent(id.value(), key -> experiments.findById(key).map(e -> e.name()).orElse("unknown"));
	}

	private static void guarded(String what, Runnable count) {
		try {
			count.run();
		}
		catch (RuntimeException ex) {
			log.warn("Counting {} for the metrics failed: {}", what, ex.toString());
		}
	}
}
