package dev.nightshift.scheduler.process;

import java.nio.charset.StandardCharsets;

/** The last few kilobytes of a log, kept in a ring so that the log's size does not matter. Not thread-safe. */
final class LogTail {

	private final byte[] ring;
	private long written;

	LogTail(int capacity) {
		this.ring = new byte[capacity];
	}

	void add(byte[] bytes, int count) {
		int from = Math.max(0, count - ring.length);
		for (int i = from; i < count; i++) {
			ring[(int) (written++ % ring.length)] = bytes[i];
		}
	}

	/** The kept bytes as text, starting at a character boundary. */
	String text() {
		int size = (int) Math.min(written, ring.length);
		byte[] ordered = new byte[size];
		int start = (int) ((written - size) % ring.length);
		for (int i = 0; i < size; i++) {
			ordered[i] = ring[(start + i) % ring.length];
		}
		int skip = 0;
		// The cut may fall inside a multi-byte UTF-8 character: drop its continuation bytes.
		while (skip < size && skip < 4 && (ordered[skip] & 0xC0) == 0x80) {
			skip++;
		}
		return new String(ordered, skip, size - skip, StandardCharsets.UTF_8);
	}
}
