package dev.nightshift.agent.context;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a run's log file, read from its end so a log of gigabytes costs the same as a small one. */
final class LogTail {

	/** Lines kept from the end of a log. */
	static final int LINES = 30;

	/** Bytes read from the end: thirty lines of progress output rarely need more. */
	private static final int WINDOW = 16 * 1024;

	private LogTail() {
	}

	/** The last {@code lines} lines of the file, or null when it does not exist or cannot be read. */
	static String of(Path log, int lines) {
		if (!Files.isRegularFile(log)) {
			return null;
		}
		try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
			long start = Math.max(0, file.length() - WINDOW);
			byte[] bytes = new byte[(int) (file.length() - start)];
			file.seek(start);
			file.readFully(bytes);
			String text = new String(bytes, StandardCharsets.UTF_8);
			if (start > 0) {
				// The window may begin inside a line (or a multi-byte character): drop that partial line.
				text = text.substring(text.indexOf('\n') + 1);
			}
			return last(text, lines);
		}
		catch (IOException unreadable) {
			return null;
		}
	}

	/** The last {@code lines} lines of a text, carriage-return progress split into lines first. */
	static String last(String text, int lines) {
		List<String> all = text.replace("\r\n", "\n").replace('\r', '\n').strip().lines().toList();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}
}
