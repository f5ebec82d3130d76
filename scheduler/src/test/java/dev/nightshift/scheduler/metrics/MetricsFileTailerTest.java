package dev.nightshift.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTailerTest {

	@TempDir
	Path dir;

	private void append(Path file, String text) throws IOException {
		Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	@Test
	void returnsTheMetricsOfCompleteLinesWrittenSinceTheLastPoll() throws IOException {
		Path file = dir.resolve("metrics.jsonl");
		try (MetricsFileTailer tailer = new MetricsFileTailer(file)) {
			append(file, "{\"step\": 1, \"loss\": 2.0}\n{\"step\": 2, \"lo");

			assertThat(tailer.poll()).containsExactly(new ParsedMetric("loss", 1L, 2.0));

			append(file, "ss\": 1.5}\n");
			assertThat(tailer.poll()).containsExactly(new ParsedMetric("loss", 2L, 1.5));
			assertThat(tailer.poll()).isEmpty();
		}
	}

	@Test
	void aFileThatDoesNotExistYetReadsAsEmpty() throws IOException {
		Path file = dir.resolve("later.jsonl");
		try (MetricsFileTailer tailer = new MetricsFileTailer(file)) {
			assertThat(tailer.poll()).isEmpty();

			append(file, "{\"acc\": 0.5}\n");
			assertThat(tailer.poll()).containsExactly(new ParsedMetric("acc", null, 0.5));
		}
	}

	@Test
	void drainReadsALastLineWithoutNewline() throws IOException {
		Path file = dir.resolve("metrics.jsonl");
		append(file, "{\"acc\": 0.5}");
		try (MetricsFileTailer tailer = new MetricsFileTailer(file)) {
			assertThat(tailer.poll()).isEmpty();
			assertThat(tailer.drain()).containsExactly(new ParsedMetric("acc", null, 0.5));
		}
	}

	@Test
	void readsOnlyJsonLines() throws IOException {
		Path file = dir.resolve("metrics.jsonl");
		append(file, "loss: 1\nloss=2\n  {\"loss\": 3}\n");
		try (MetricsFileTailer tailer = new MetricsFileTailer(file)) {
			assertThat(tailer.poll()).containsExactly(new ParsedMetric("loss", null, 3));
		}
	}

	@Test
	void aRewrittenFileIsReadFromItsStart() throws IOException {
		Path file = dir.resolve("metrics.jsonl");
		append(file, "{\"loss\": 3, \"padding\": 1000000}\n");
		try (MetricsFileTailer tailer = new MetricsFileTailer(file)) {
			tailer.poll();
			Files.writeString(file, "{\"loss\": 1}\n");

			assertThat(tailer.poll()).containsExactly(new ParsedMetric("loss", null, 1));
		}
	}
}
