package dev.nightshift.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The log of examples/torch-gpt run on an H100 through the run contract, read as the executor reads it. */
class RecordedGpuRunTest {

	@Test
	void objectivePeakMemoryAndCurvesComeOutOfTheRealGpuLog() throws Exception {
		Path log = Path.of(getClass().getResource("/gpu/torch-gpt-run.log").toURI());
		ObjectiveTracker objective = new ObjectiveTracker("val_bpb");
		List<ParsedMetric> all = new ArrayList<>();
		for (String line : Files.readAllLines(log)) {
			List<ParsedMetric> points = MetricLineParser.parse(line);
			objective.accept(points);
			all.addAll(points);
		}
		assertThat(objective.seen()).isTrue();
		assertThat(objective.last()).isEqualTo(0.705839);
		assertThat(all).filteredOn(p -> p.name().equals("peak_vram_mb")).extracting(ParsedMetric::value)
			.containsExactly(176.461426);
		assertThat(all).filteredOn(p -> p.name().equals("loss")).hasSizeGreaterThan(100)
			.allSatisfy(p -> assertThat(p.step()).isNotNull());
		assertThat(all).filteredOn(p -> p.name().equals("val_bpb") && p.step() != null)
			.extracting(ParsedMetric::step).contains(10500L, 11000L, 11500L);
	}
}
