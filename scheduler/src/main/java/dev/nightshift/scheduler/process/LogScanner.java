package dev.nightshift.scheduler.process;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.nightshift.scheduler.metrics.FileTail;
import dev.nightshift.scheduler.metrics.MetricLineParser;
import dev.nightshift.scheduler.metrics.ParsedMetric;

/**
 * Reads a run's log as it grows: metrics from every line, signs of running out of memory, and the last kilobytes for
 * crash excerpts. Not thread-safe.
 */
final class LogScanner implements Closeable {

	/** How much of the end of the log a result carries. */
	static final int TAIL_BYTES = 4 * 1024;

	/**
	 * What out-of-memory deaths print: PyTorch's CUDA allocator ({@code torch.OutOfMemoryError} and the older {@code
	 * torch.cuda.OutOfMemoryError}, both saying "CUDA out of memory"), CUDA errors from other libraries, Python's
	 * {@code MemoryError}, and the kernel's OOM killer when its message reaches the log.
	 */
	static final List<String> OOM_MARKERS = List.of("CUDA out of memory", "OutOfMemoryError", "MemoryError",
			"CUDA error: out of memory", "Out of memory: Killed process");

	// A line is decoded only if it holds one of these bytes: every metric form needs ':', '=' or '{', every OOM
	// marker has 'M' or 'm'. Decoding each of the hundreds of millions of lines a flood prints would dominate.
	private static final boolean[] WORTH_DECODING = new boolean[256];

	static {
		for (char c : ":={Mm".toCharArray()) {
			WORTH_DECODING[c] = true;
		}
	}

	private final FileTail tail;
	private final LogTail lastBytes = new LogTail(TAIL_BYTES);
	private boolean oomSeen;

	LogScanner(Path log, MetricBatcher batcher) {
		this.tail = new FileTail(log, (bytes, length, start, end) -> {
			if (!worthDecoding(bytes, length)) {
				return;
			}
			String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
			if (!oomSeen && OOM_MARKERS.stream().anyMatch(line::contains)) {
				oomSeen = true;
			}
			List<ParsedMetric> metrics = MetricLineParser.parse(line);
			if (!metrics.isEmpty()) {
				batcher.fromLog(metrics, start, end);
			}
		});
	}

	/** Reads at most about {@code maxBytes} of new output; returns how much was read. */
	long poll(long maxBytes) throws IOException {
		return tail.poll(maxBytes, lastBytes::add);
	}

	/** Reads everything left, including a last line without a newline: the process has ended. */
	void drain() throws IOException {
		while (poll(Long.MAX_VALUE) > 0) {
			// read until the end
		}
		tail.finish();
	}

	boolean oomSeen() {
		return oomSeen;
	}

	String lastBytes() {
		return lastBytes.text();
	}

	long bytesRead() {
		return tail.position();
	}

	@Override
	public void close() throws IOException {
		tail.close();
	}

	private static boolean worthDecoding(byte[] bytes, int length) {
		for (int i = 0; i < length; i++) {
			if (WORTH_DECODING[bytes[i] & 0xFF]) {
				return true;
			}
		}
		return false;
	}
}
