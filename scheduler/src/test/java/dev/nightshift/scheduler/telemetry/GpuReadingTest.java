package dev.nightshift.scheduler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.nightshift.experiments.run.RunUsage;
import org.junit.jupiter.api.Test;

class GpuReadingTest {

	@Test
	void samplesRecordedWhileTorchGptTrainedAverageToTheirMeanAndPeak() throws Exception {
		List<GpuReading> samples = GpuReading.parse(fixture("nvidia-smi-during-run.txt"));
		assertThat(samples).hasSize(7).allMatch(r -> r.index() == 0 && r.memoryTotalMb() == 81559L);
		assertThat(samples).extracting(GpuReading::utilization).containsExactly(29, 29, 25, 31, 33, 27, 2);
		// The discovery query's lines carry no temperature or power: unknown, not zero.
		assertThat(samples).allMatch(r -> r.temperatureC() == null && r.powerW() == null);

		UsageAggregate run = new UsageAggregate(RunUsage.GPU, null, 0);
		samples.forEach(r -> run.add(r.utilization(), r.memoryUsedMb().doubleValue()));
		RunUsage usage = run.snapshot();
		assertThat(usage.samples()).isEqualTo(7);
		assertThat(usage.utilAvg()).isCloseTo((29 + 29 + 25 + 31 + 33 + 27 + 2) / 7.0, within(1e-9));
		assertThat(usage.utilPeak()).isEqualTo(33);
		assertThat(usage.memoryPeakMb()).isEqualTo(979);
	}

	@Test
	void notAvailableAndNotSupportedFieldsAreUnknown() throws Exception {
		List<GpuReading> samples = GpuReading.parse(fixture("nvidia-smi-telemetry-na.txt"));
		assertThat(samples).containsExactly(new GpuReading(0, 40960L, 81559L, 97, 67, 512.30),
				new GpuReading(1, null, 81920L, null, null, null));
		assertThat(GpuReading.parse(fixture("nvidia-smi-query-na.txt")).get(1))
			.isEqualTo(new GpuReading(1, null, 81920L, null, null, null));
	}

	@Test
	void linesThatAreNoSampleAreSkipped() {
		assertThat(GpuReading.parse("""
				index, name, memory.total [MiB], memory.used [MiB], utilization.gpu [%], temperature.gpu, power.draw [W]
				No devices were found
				1, NVIDIA H100 80GB HBM3, 81559, 1024, 12, 41, 71.53
				""")).containsExactly(new GpuReading(1, 1024L, 81559L, 12, 41, 71.53));
	}

	@Test
	void aStoredAggregateIsContinuedAfterARestart() {
		UsageAggregate before = new UsageAggregate(RunUsage.GPU, null, 0);
		before.add(40, 1000.0);
		before.add(60, 3000.0);
		UsageAggregate after = new UsageAggregate(RunUsage.GPU, before.snapshot(), 0);
		after.add(80, 2000.0);
		assertThat(after.snapshot()).isEqualTo(new RunUsage(RunUsage.GPU, 3, 60, 80, 3000.0));
	}

	private String fixture(String name) throws Exception {
		return Files.readString(Path.of(getClass().getResource("/gpu/" + name).toURI()));
	}
}
