package dev.nightshift.web.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.shared.NotFoundException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The run page, and what its scripts fetch: the metric curves, the live log stream, the whole log. */
@Controller
class RunPageController {

	private final RunDetails details;
	private final RunRepository runs;
	private final MetricCurves curves;
	private final LogStream logs;

	RunPageController(RunDetails details, RunRepository runs, MetricCurves curves, LogStream logs) {
		this.details = details;
		this.runs = runs;
		this.curves = curves;
		this.logs = logs;
	}

	@GetMapping("/runs/{id}")
	String page(@PathVariable long id, Model model) {
		model.addAttribute("run", details.of(new RunId(id)));
		return "run";
	}

	@GetMapping("/runs/{id}/curves")
	@ResponseBody
	List<MetricCurves.Curve> curves(@PathVariable long id) {
		RunId run = new RunId(id);
		runs.require(run);
		return curves.of(run);
	}

	/**
	 * The log as server-sent events from {@code offset}, or from {@code Last-Event-ID} when the browser
	 * reconnects, or else from near its end.
	 */
	@GetMapping(path = "/runs/{id}/log/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@PathVariable long id, @RequestParam(required = false) Long offset,
			@RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
		RunId run = new RunId(id);
		runs.require(run);
		Long from = offset;
		if (lastEventId != null && lastEventId.matches("\\d{1,18}")) {
			from = Long.parseLong(lastEventId);
		}
		return logs.open(run, details.log(run), from);
	}

	/** The whole log as plain text. */
	@GetMapping("/runs/{id}/log")
	ResponseEntity<FileSystemResource> log(@PathVariable long id) {
		RunId run = new RunId(id);
		runs.require(run);
		Path log = details.log(run);
		if (!Files.isRegularFile(log)) {
			throw new NotFoundException("log of run", id);
		}
		return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
			.body(new FileSystemResource(log));
	}
}
