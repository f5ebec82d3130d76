package dev.nightshift.web.ui;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.process.RunLog;
import dev.nightshift.scheduler.sharedlog.SharedLogs;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Tails a run's log to the browser as server-sent events. Each {@code log} event carries the new text and, as
 * its id, the byte offset after it, so a browser that reconnects (it does so by itself, sending
 * {@code Last-Event-ID}) carries on where it stopped. A new viewer starts at most {@link #INITIAL_TAIL} bytes
 * before the end; each event holds at most {@link #CHUNK} bytes; an {@code end} event closes the stream once
 * the run has finished and all of its log was sent. A run that another server runs has no log in this home: its
 * end as that server ships it ({@link SharedLogs}) is streamed the same way, offsets counted in the whole log, and
 * a viewer behind what was shipped skips to the start of the shipped end.
 */
@Component
class LogStream implements DisposableBean {

	static final int CHUNK = 64 * 1024;
	static final int INITIAL_TAIL = 64 * 1024;
	static final Duration POLL = Duration.ofMillis(400);
	/** A stream is closed after this; the browser reconnects from its last offset. */
	static final Duration LIFETIME = Duration.ofMinutes(10);
	static final int MAX_STREAMS = 64;

	private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, task -> {
		Thread thread = new Thread(task, "log-stream");
		thread.setDaemon(true);
		return thread;
	});
	private final AtomicInteger open = new AtomicInteger();
	private final JdbcClient jdbc;
	private final SharedLogs sharedLogs;

	LogStream(JdbcClient jdbc, SharedLogs sharedLogs) {
		this.jdbc = jdbc;
		this.sharedLogs = sharedLogs;
	}

	/**
	 * @param log  the run's log file, which may not exist yet
	 * @param from the byte offset to start at, or null for the last {@link #INITIAL_TAIL} bytes
	 */
	SseEmitter open(RunId run, Path log, Long from) {
		SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
		if (open.incrementAndGet() > MAX_STREAMS) {
			open.decrementAndGet();
			try {
				emitter.send(SseEmitter.event().name("busy").data(Map.of("text", "too many log viewers; reload later")));
			}
			catch (IOException gone) {
				// The browser left already.
			}
			emitter.complete();
			return emitter;
		}
		Tail tail = new Tail(run, log, from, emitter);
		ScheduledFuture<?> task = ticker.scheduleWithFixedDelay(tail::tick, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
		AtomicBoolean closed = new AtomicBoolean();
		Runnable close = () -> {
			if (closed.compareAndSet(false, true)) {
				tail.done = true;
				task.cancel(false);
				open.decrementAndGet();
			}
		};
		emitter.onCompletion(close);
		emitter.onTimeout(() -> {
			close.run();
			emitter.complete();
		});
		emitter.onError(error -> close.run());
		return emitter;
	}

	@Override
	public void destroy() {
		ticker.shutdownNow();
	}

	private boolean finished(RunId run) {
		return jdbc.sql("select status from run where id = ?")
			.param(run.value())
			.query(String.class)
			.optional()
			.map(status -> RunStatus.valueOf(status).isFinished())
			.orElse(true);
	}

	/** One viewer's position in one log. */
	private final class Tail {

		private final RunId run;
		private final Path log;
		private final SseEmitter emitter;
		private Long offset;
		private volatile boolean done;
		/** This tick's shipped end of a log that is not in this home; null for a log read from its file. */
		private SharedLogs.Tail shipped;

		Tail(RunId run, Path log, Long from, SseEmitter emitter) {
			this.run = run;
			this.log = log;
			this.offset = from;
			this.emitter = emitter;
		}

		void tick() {
			if (done) {
				return;
			}
			try {
				// Asked before reading: a run records its outcome only after its process has written its last line.
				boolean finished = finished(run);
				shipped = Files.exists(log, LinkOption.NOFOLLOW_LINKS) ? null : sharedLogs.tail(run).orElse(null);
				// Another server's run: its log's last lines arrive with the ship after its end.
				finished = finished && (shipped == null || shipped.complete());
				long size = shipped == null ? RunLog.size(log) : shipped.size();
				long skipped = 0;
				if (offset == null) {
					offset = start(size);
					skipped = offset;
				}
				if (offset > size) {
					offset = 0L;
				}
				if (shipped != null && offset < shipped.start()) {
					skipped = Math.max(skipped, shipped.start());
					offset = shipped.start();
				}
				while (!done && offset < size) {
					String text = read(size, finished);
					if (text == null) {
						break;
					}
					Map<String, Object> data = new LinkedHashMap<>();
					data.put("text", text);
					if (skipped > 0) {
						data.put("skipped", skipped);
						skipped = 0;
					}
					emitter.send(SseEmitter.event().name("log").id(Long.toString(offset)).data(data, MediaType.APPLICATION_JSON));
				}
				if (finished && offset >= size) {
					done = true;
					emitter.send(SseEmitter.event().name("end").data(Map.of("offset", offset), MediaType.APPLICATION_JSON));
					emitter.complete();
				}
			}
			catch (IOException | RuntimeException gone) {
				// The browser went away, or the log cannot be read: this stream is over; the browser may reconnect.
				done = true;
				emitter.completeWithError(gone);
			}
		}

		/** Where a new viewer starts: the first whole line in the last {@link #INITIAL_TAIL} bytes. */
		private long start(long size) throws IOException {
			long from = Math.max(size - INITIAL_TAIL, shipped == null ? 0 : shipped.start());
			if (from == 0) {
				return 0;
			}
			byte[] bytes = readAt(from, (int) (size - from));
			for (int i = 0; i < bytes.length; i++) {
				if (bytes[i] == '\n') {
					return from + i + 1;
				}
			}
			return size;
		}

		/**
		 * The next piece of the log, ending at a line's end unless the run has finished or a line is longer than a
		 * chunk; null while only part of a line is there.
		 */
		private String read(long size, boolean finished) throws IOException {
			int length = (int) Math.min(CHUNK, size - offset);
			byte[] bytes = readAt(offset, length);
			int end = length;
			if (!finished && length < CHUNK) {
				end = lastNewline(bytes) + 1;
				if (end == 0) {
					return null;
				}
			}
			offset += end;
			return new String(bytes, 0, end, StandardCharsets.UTF_8);
		}

		/** {@code length} bytes from {@code position}, read without following a link (see {@link RunLog}). */
		private byte[] readAt(long position, int length) throws IOException {
			if (shipped != null) {
				return shipped.read(position, length);
			}
			try (SeekableByteChannel channel = RunLog.open(log)
				.orElseThrow(() -> new IOException(log + " is not a regular file"))) {
				ByteBuffer buffer = ByteBuffer.allocate(length);
				channel.position(position);
				while (buffer.hasRemaining() && channel.read(buffer) > 0) {
					// read until full or the end
				}
				if (buffer.hasRemaining()) {
					throw new IOException(log + " shrank while being read");
				}
				return buffer.array();
			}
		}

		private int lastNewline(byte[] bytes) {
			for (int i = bytes.length - 1; i >= 0; i--) {
				if (bytes[i] == '\n') {
					return i;
				}
			}
			return -1;
		}
	}
}
