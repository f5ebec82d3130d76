package dev.nightshift.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineSplitterTest {

	record Line(String text, long start, long end) {}

	private final List<Line> lines = new ArrayList<>();

	private LineSplitter splitter(int maxLineBytes) {
		return new LineSplitter(maxLineBytes, (bytes, length, start, end) -> lines
			.add(new Line(new String(bytes, 0, length, StandardCharsets.UTF_8), start, end)));
	}

	private static void feed(LineSplitter splitter, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		splitter.feed(bytes, 0, bytes.length);
	}

	@Test
	void cutsAtNewlinesAndCarriageReturnsAcrossFeeds() {
		LineSplitter splitter = splitter(100);

		feed(splitter, "ab");
		feed(splitter, "c\r1");
		feed(splitter, "2\r\nxy");

		assertThat(lines).containsExactly(new Line("abc", 0, 4), new Line("12", 4, 7));
		assertThat(splitter.committed()).isEqualTo(8);
	}

	@Test
	void reportsALastLineWithoutTerminatorOnlyWhenFinished() {
		LineSplitter splitter = splitter(100);
		feed(splitter, "one\ntwo");

		assertThat(lines).extracting(Line::text).containsExactly("one");
		splitter.finish();
		assertThat(lines).extracting(Line::text).containsExactly("one", "two");
	}

	@Test
	void keepsOnlyTheStartOfAnOverlongLineAndFindsTheNextLine() {
		LineSplitter splitter = splitter(4);
		byte[] chunk = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < 100; i++) {
			splitter.feed(chunk, 0, chunk.length);
		}
		feed(splitter, "\nok\n");

		assertThat(lines).containsExactly(new Line("xxxx", 0, 100_001), new Line("ok", 100_001, 100_004));
	}

	@Test
	void startsCountingAtTheGivenOffset() {
		LineSplitter splitter = new LineSplitter(100, 50, (bytes, length, start, end) -> lines
			.add(new Line(new String(bytes, 0, length, StandardCharsets.UTF_8), start, end)));
		feed(splitter, "a\n");

		assertThat(lines).containsExactly(new Line("a", 50, 52));
	}
}
