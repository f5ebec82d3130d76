package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.scheduler.telemetry.SlotLoad;
import org.junit.jupiter.api.Test;

class UsageViewTest {

	@Test
	void aGpuSlotShowsUtilisationMemoryTemperatureAndPowerWhereReported() {
		UsageView.Load busy = UsageView.Load.of(new SlotLoad("gpu-0", "GPU", 31.0, 973.0, 81559L, 41, 118.4, Instant.now()));
		assertThat(busy.text()).isEqualTo("31 % · 973 MiB / 79.6 GiB · 41 °C · 118 W");
		assertThat(busy.percent()).isEqualTo(31.0);

		// A MIG slice answers [N/A] for most fields: nothing is shown as zero.
		UsageView.Load slice = UsageView.Load.of(new SlotLoad("gpu-1", "GPU", null, null, 81920L, null, null, Instant.now()));
		assertThat(slice.text()).isEqualTo("—");
		assertThat(slice.percent()).isZero();
	}

	@Test
	void aCpuSlotBeyondOneCoreShowsAFullBarAndItsPercent() {
		UsageView.Load cpu = UsageView.Load.of(new SlotLoad("cpu-0", "CPU", 180.0, 120.0, null, null, null, Instant.now()));
		assertThat(cpu.text()).isEqualTo("180 % · 120 MiB");
		assertThat(cpu.percent()).isEqualTo(100.0);
	}

	@Test
	void aRunsUsageReadsAsOneLineAndAsASentence() {
		UsageView.Usage gpu = UsageView.Usage.of(new RunUsage(RunUsage.GPU, 7, 25.14, 33, 979.0));
		assertThat(gpu.summary()).isEqualTo("GPU 25 / 33 % · 979 MiB");
		assertThat(gpu.detail()).isEqualTo("GPU utilisation 25 % on average, 33 % at peak; GPU memory 979 MiB at peak (7 samples)");
		UsageView.Usage cpu = UsageView.Usage.of(new RunUsage(RunUsage.CPU, 1, 95, 95, 2048.0));
		assertThat(cpu.detail()).isEqualTo("CPU 95 % of one core on average, 95 % at peak; resident memory 2.0 GiB at peak (1 sample)");
	}
}
