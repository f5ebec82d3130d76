package dev.nightshift.scheduler.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the optional JSON-lines file a run names in {@code NIGHTSHIFT_METRICS} (SPEC section 3): each call returns
 * the metrics of the complete lines added since the previous call, parsed as JSON objects. A line still being
 * written waits for its newline, unless {@link #drain()} says the writer has finished. Not thread-safe.
 */
public final class MetricsFileTailer implements Closeable {

	/** Receives the metrics of one line together with where that line starts and ends in the file. */
	@FunctionalInterface
	public interface LineMetricsHandler {
		void metrics(List<ParsedMetric> metrics, long lineStart, long lineEnd);
	}

	// A JSON object per line: lines that cannot hold one ('{' missing) are not decoded at all.
	private final FileTail tail;
	private LineMetricsHandler target;

	public MetricsFileTailer(Path file) {
		this.tail = new FileTail(file, (bytes, length, start, end) -> {
			if (target != null && startsWithBrace(bytes, length)) {
				List<ParsedMetric> metrics = MetricLineParser.parseJson(new String(bytes, 0, length,
						StandardCharsets.UTF_8));
				if (!metrics.isEmpty()) {
					target.metrics(metrics, start, end);
				}
			}
		});
	}

	/** The metrics of the complete lines written since the last call. */
	public List<ParsedMetric> poll() throws IOException {
		List<ParsedMetric> all = new ArrayList<>();
		poll(Long.MAX_VALUE, (metrics, start, end) -> all.addAll(metrics));
		return all;
	}

	/** As {@link #poll()}, and also the last line if it has no newline: for when the writer has exited. */
	public List<ParsedMetric> drain() throws IOException {
		List<ParsedMetric> all = new ArrayList<>();
		drain((metrics, start, end) -> all.addAll(metrics));
		return all;
	}

	/**
	 * Reads at most about {@code maxBytes} of new lines, handing the metrics of each to {@code handler} with its
	 * offsets.
	 *
	 * @return the number of bytes read
	 */
	public long poll(long maxBytes, LineMetricsHandler handler) throws IOException {
		target = handler;
		try {
			return tail.poll(maxBytes);
		} finally {
			target = null;
		}
	}

	/** Reads everything left, including a last line without a newline. */
	public void drain(LineMetricsHandler handler) throws IOException {
		target = handler;
		try {
			while (tail.poll(Long.MAX_VALUE) > 0) {
				// read until the end
			}
			tail.finish();
		} finally {
			target = null;
		}
	}

	/** The offset just after the last complete line read. */
	public long committed() {
		return tail.committed();
	}

	@Override
	public void close() throws IOException {
		tail.close();
	}

	private static boolean startsWithBrace(byte[] bytes, int length) {
		for (int i = 0; i < length; i++) {
			if (bytes[i] == '{') {
				return true;
			}
			if (bytes[i] != ' ' && bytes[i] != '\t') {
				return false;
			}
		}
		return false;
	}
}
