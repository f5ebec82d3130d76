package dev.nightshift.web.ui;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.List;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.scheduler.process.RunLog;
import org.springframework.core.io.InputStreamResource;
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
	private final UsageView usage;

	RunPageController(RunDetails details, RunRepository runs, MetricCurves curves, LogStream logs, UsageView usage) {
		this.usage = usage;
		this.details = details;
		this.runs = runs;
		this.curves = curves;
		this.logs = logs;
	}

	@GetMapping("/runs/{id}")
	String page(@PathVariable long id, Model model) {
		model.addAttribute("run", details.of(new RunId(id)));
		model.addAttribute("usage", usage.ofRun(new RunId(id)).orElse(null));
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

	/** The whole log as plain text; a log that is a link or not a regular file is not served. */
	@GetMapping("/runs/{id}/log")
	ResponseEntity<InputStreamResource> log(@PathVariable long id) throws IOException {
		RunId run = new RunId(id);
		runs.require(run);
		SeekableByteChannel channel = RunLog.open(details.log(run))
			.orElseThrow(() -> new NotFoundException("log of run", id));
		return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
			.contentLength(channel.size())
			.body(new InputStreamResource(Channels.newInputStream(channel)));
	}
}
