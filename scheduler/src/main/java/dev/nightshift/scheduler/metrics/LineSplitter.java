package dev.nightshift.scheduler.metrics;

/**
 * Cuts a stream of bytes into lines at {@code \n} and {@code \r} (progress bars redraw their line with {@code \r}),
 * holding at most {@code maxLineBytes} of one line: the rest of an overlong line is dropped, so a program that prints
 * a hundred megabytes without a newline costs no more memory than a short line. Empty lines are not reported. Not
 * thread-safe; one splitter per stream.
 */
public final class LineSplitter {

	/** Receives each line; the array is reused, so copy what must outlive the call. */
	@FunctionalInterface
	public interface LineHandler {

		/**
		 * @param bytes   the line without its terminator, in {@code bytes[0..length)}
		 * @param start   the offset in the stream of the line's first byte
		 * @param end     the offset just after the line's terminator: where reading resumes after this line
		 */
		void line(byte[] bytes, int length, long start, long end);
	}

	/** Lines are cut here; more than enough for any metric line, and small enough to never matter for memory. */
	public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

	private final byte[] line;
	private final LineHandler handler;
	private int length;
	private long lineStart;
	private long offset;

	public LineSplitter(int maxLineBytes, LineHandler handler) {
		this(maxLineBytes, 0, handler);
	}

	/** A splitter for a stream whose first byte fed is at {@code startOffset}. */
	public LineSplitter(int maxLineBytes, long startOffset, LineHandler handler) {
		if (maxLineBytes < 1) {
			throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
		}
		this.line = new byte[maxLineBytes];
		this.handler = handler;
		this.offset = startOffset;
		this.lineStart = startOffset;
	}

	/** Feeds the next bytes of the stream; complete lines go to the handler before this returns. */
	public void feed(byte[] buffer, int from, int count) {
		int end = from + count;
		int segment = from;
		for (int i = from; i < end; i++) {
			byte b = buffer[i];
			if (b == '\n' || b == '\r') {
				append(buffer, segment, i - segment);
				offset += i - segment + 1;
				emit();
				segment = i + 1;
			}
		}
		append(buffer, segment, end - segment);
		offset += end - segment;
	}

	/** Reports the last line even though no terminator followed it: the stream has ended. */
	public void finish() {
		emit();
	}

	/** The offset just after the last terminator seen: a new splitter started here sees the same later lines. */
	public long committed() {
		return lineStart;
	}

	private void append(byte[] buffer, int from, int count) {
		int kept = Math.min(count, line.length - length);
		if (kept > 0) {
			System.arraycopy(buffer, from, line, length, kept);
			length += kept;
		}
	}

	private void emit() {
		if (length > 0) {
			handler.line(line, length, lineStart, offset);
		}
		length = 0;
		lineStart = offset;
	}
}
