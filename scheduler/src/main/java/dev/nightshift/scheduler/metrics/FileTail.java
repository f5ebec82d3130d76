package dev.nightshift.scheduler.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows a file that another process appends to, handing each new line to a {@link LineSplitter.LineHandler}. It
 * reads in fixed buffers from the offset it reached last time, so memory stays bounded however much the writer
 * prints, and it never holds a pipe to the writer: the writer keeps running when the reader goes away. A file that
 * does not exist yet reads as empty; a file that shrank (rewritten by the writer) is read again from the start. Not
 * thread-safe.
 */
public final class FileTail implements Closeable {

	private static final int BUFFER_BYTES = 64 * 1024;

	private final Path file;
	private final int maxLineBytes;
	private final LineSplitter.LineHandler handler;
	private final byte[] buffer = new byte[BUFFER_BYTES];
	private final ByteBuffer wrapped = ByteBuffer.wrap(buffer);
	private LineSplitter splitter;
	private FileChannel channel;
	private long position;

	/** Follows {@code file} from its first byte. */
	public FileTail(Path file, LineSplitter.LineHandler handler) {
		this(file, LineSplitter.DEFAULT_MAX_LINE_BYTES, handler);
	}

	public FileTail(Path file, int maxLineBytes, LineSplitter.LineHandler handler) {
		this.file = file;
		this.maxLineBytes = maxLineBytes;
		this.handler = handler;
		this.splitter = new LineSplitter(maxLineBytes, handler);
	}

	/** Observes the bytes read, before they are cut into lines; the log tail keeps its last kilobytes this way. */
	@FunctionalInterface
	public interface ByteObserver {
		void bytes(byte[] buffer, int count);
	}

	/**
	 * Reads what was appended since the last call, at most about {@code maxBytes}, and hands complete lines to the
	 * handler.
	 *
	 * @return the number of bytes read; 0 at the end of the file or when there is no file yet
	 */
	public long poll(long maxBytes) throws IOException {
		return poll(maxBytes, (bytes, count) -> {});
	}

	/** As {@link #poll(long)}, also showing every byte read to {@code observer}. */
	public long poll(long maxBytes, ByteObserver observer) throws IOException {
		if (channel == null && !open()) {
			return 0;
		}
		if (channel.size() < position) {
			position = 0;
			splitter = new LineSplitter(maxLineBytes, handler);
		}
		long read = 0;
		while (read < maxBytes) {
			wrapped.clear();
			int count = channel.read(wrapped, position);
			if (count <= 0) {
				break;
			}
			position += count;
			read += count;
			observer.bytes(buffer, count);
			splitter.feed(buffer, 0, count);
		}
		return read;
	}

	/** The file will not grow any more: reports a last line that has no terminator. */
	public void finish() {
		splitter.finish();
	}

	/** How many bytes of the file have been read. */
	public long position() {
		return position;
	}

	/** The offset just after the last complete line read. */
	public long committed() {
		return splitter.committed();
	}

	@Override
	public void close() throws IOException {
		if (channel != null) {
			channel.close();
			channel = null;
		}
	}

	private boolean open() throws IOException {
		try {
			channel = FileChannel.open(file, StandardOpenOption.READ);
			return true;
		} catch (NoSuchFileException notYet) {
			return false;
		}
	}
}
