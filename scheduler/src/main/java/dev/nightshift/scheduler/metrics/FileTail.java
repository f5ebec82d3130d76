package dev.nightshift.scheduler.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Follows a file that another process appends to, handing each new line to a {@link LineSplitter.LineHandler}. It
 * reads in fixed buffers from the offset it reached last time, so memory stays bounded however much the writer
 * prints, and it never holds a pipe to the writer: the writer keeps running when the reader goes away. A file that
 * does not exist yet, or is a link or not a regular file, reads as empty; a file that shrank (rewritten by the writer) is read again from the start. Not
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

	/**
	 * Opens the file if it is there as a regular file. A link is never followed and anything but a regular file
	 * reads as absent: the file may lie where a run can write (its metrics file), and the server must not read
	 * another file through it, nor hang on a pipe.
	 */
	private boolean open() throws IOException {
		try {
			if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
				return false;
			}
			channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
			return true;
		} catch (NoSuchFileException notYet) {
			return false;
		} catch (FileSystemException replacedByALink) {
			// ELOOP: it became a link between the look and the open.
			return false;
		}
	}
}
