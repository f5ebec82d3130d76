package dev.nightshift.web.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.experiments.run.RunUsages;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.scheduler.execution.CancelRun;
import dev.nightshift.scheduler.process.RunLog;
import dev.nightshift.scheduler.sharedlog.SharedLogs;
import org.springframework.core.io.InputStreamResource;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Runs: the paged, filtered, sorted listing of an experiment's runs, one run, its metric points and log, cancel. */
@RestController
class RunController {

	/** On a log served from another server's shipped end: the offset of its first byte in the whole log. */
	static final String LOG_START = "Nightshift-Log-Start";

	static final Set<String> SORTABLE = Set.of("id", "objective", "status", "queuedAt", "startedAt", "finishedAt");

	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final MetricPoints metrics;
	private final StateHistory history;
	private final NightshiftHome home;
	private final CancelRun cancel;
	private final SharedLogs sharedLogs;
	private final RunUsages usages;

	RunController(RunRepository runs, ExperimentRepository experiments, MetricPoints metrics, StateHistory history,
			NightshiftHome home, CancelRun cancel, SharedLogs sharedLogs, RunUsages usages) {
		this.sharedLogs = sharedLogs;
		this.usages = usages;
		this.cancel = cancel;
		this.runs = runs;
		this.experiments = experiments;
		this.metrics = metrics;
		this.history = history;
		this.home = home;
	}

	/** {@code status} is one status or several separated by commas; {@code sort} e.g. {@code objective,asc}. */
	@GetMapping("/api/experiments/{id}/runs")
	@Transactional(readOnly = true)
	PageView<Views.RunView> list(@PathVariable long id, @RequestParam(required = false) String status,
			@RequestParam(required = false) String sort, @RequestParam(required = false) Integer page,
			@RequestParam(required = false) Integer size) {
		experiments.require(new ExperimentId(id));
		Pageable pageable = Paging.pageable(page, size, sort, SORTABLE, Sort.by(Sort.Order.desc("id")));
		List<RunStatus> statuses = Paging.statuses(status, RunStatus.class);
		Page<Run> found = statuses.isEmpty() ? runs.findByExperimentId(id, pageable)
				: runs.findByExperimentIdAndStatusIn(id, statuses, pageable);
		Map<Long, RunUsage> used = usages.of(found.getContent().stream().map(run -> run.id().value()).toList());
		return PageView.of(found, run -> Views.RunView.of(run, null, used.get(run.id().value())));
	}

	@GetMapping("/api/runs/{id}")
	@Transactional(readOnly = true)
	Views.RunView get(@PathVariable long id) {
		Run run = runs.require(new RunId(id));
		return Views.RunView.of(run, history.of("RUN", id), usages.of(run.id()).orElse(null));
	}

	/** The run's metric points in the order reported; {@code name} keeps one metric. */
	@GetMapping("/api/runs/{id}/metrics")
	List<MetricPoint> metrics(@PathVariable long id, @RequestParam(required = false) String name) {
		RunId run = new RunId(id);
		runs.require(run);
		return metrics.of(run, name);
	}

	/**
	 * Cancels a run: 200 when it was queued and is now CANCELLED, 202 when its process is being stopped;
	 * 409 when it has finished already.
	 */
	@PostMapping("/api/runs/{id}/cancel")
	ResponseEntity<Views.RunView> cancel(@PathVariable long id, Principal user) {
		RunId run = new RunId(id);
		CancelRun.Result result = cancel.cancel(run, "human:" + user.getName());
		Views.RunView view = Views.RunView.of(runs.require(run), history.of("RUN", id), usages.of(run).orElse(null));
		return result == CancelRun.Result.CANCELLED ? ResponseEntity.ok(view) : ResponseEntity.accepted().body(view);
	}

	/**
	 * The run's log as plain text; a log that is a link or not a regular file is not served. A run another server
	 * runs (or ran) has no log in this home: its end, as that server shipped it, is served instead, with the
	 * header {@value #LOG_START} saying how many bytes before it stayed on that server.
	 */
	@GetMapping("/api/runs/{id}/log")
	ResponseEntity<InputStreamResource> log(@PathVariable long id) throws IOException {
		runs.require(new RunId(id));
		Path log = RunLog.of(home.runsDirectory().resolve(Long.toString(id)));
		Optional<SeekableByteChannel> local = RunLog.open(log);
		if (local.isEmpty()) {
			SharedLogs.Tail tail = sharedLogs.tail(new RunId(id)).orElseThrow(() -> new NotFoundException("log of run", id));
			return ResponseEntity.ok()
				.contentType(MediaType.TEXT_PLAIN)
				.header(LOG_START, Long.toString(tail.start()))
				.contentLength(tail.bytes().length)
				.body(new InputStreamResource(new ByteArrayInputStream(tail.bytes())));
		}
		SeekableByteChannel channel = local.get();
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_PLAIN)
			.contentLength(channel.size())
			.body(new InputStreamResource(Channels.newInputStream(channel)));
	}
}
