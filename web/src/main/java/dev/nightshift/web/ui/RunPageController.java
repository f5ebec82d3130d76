package dev.nightshift.web.ui;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.scheduler.process.RunLog;
import dev.nightshift.scheduler.sharedlog.SharedLogs;
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
	private final SharedLogs sharedLogs;

	RunPageController(RunDetails details, RunRepository runs, MetricCurves curves, LogStream logs, UsageView usage,
			SharedLogs sharedLogs) {
		this.usage = usage;
		this.sharedLogs = sharedLogs;
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

	/**
	 * The whole log as plain text; a log that is a link or not a regular file is not served. A run of another
	 * server shows the end that server shipped, after a line saying how much stayed there.
	 */
	@GetMapping("/runs/{id}/log")
	ResponseEntity<InputStreamResource> log(@PathVariable long id) throws IOException {
		RunId run = new RunId(id);
		runs.require(run);
		Optional<SeekableByteChannel> local = RunLog.open(details.log(run));
		if (local.isEmpty()) {
			SharedLogs.Tail tail = sharedLogs.tail(run).orElseThrow(() -> new NotFoundException("log of run", id));
			byte[] head = tail.start() == 0 ? new byte[0] : ("[the first " + tail.start() + " bytes of this log are on "
					+ tail.server() + "]\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
			byte[] body = new byte[head.length + tail.bytes().length];
			System.arraycopy(head, 0, body, 0, head.length);
			System.arraycopy(tail.bytes(), 0, body, head.length, tail.bytes().length);
			return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
				.contentLength(body.length)
				.body(new InputStreamResource(new ByteArrayInputStream(body)));
		}
		SeekableByteChannel channel = local.get();
		return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
			.contentLength(channel.size())
			.body(new InputStreamResource(Channels.newInputStream(channel)));
	}
}
