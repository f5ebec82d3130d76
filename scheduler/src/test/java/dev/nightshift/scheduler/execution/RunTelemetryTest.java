package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.experiments.run.RunUsages;
import dev.nightshift.scheduler.telemetry.SlotLoad;
import dev.nightshift.scheduler.telemetry.Telemetry;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * The server samples the stand-in {@code nvidia-smi} (two H100s: GPU 0 idle, GPU 1 at 12 % with 1024 MiB used) and
 * the process trees of runs without a GPU, attributes each sample to the run holding the slot, and stores the
 * run's aggregates.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class RunTelemetryTest {

	/** What the stand-in reports for each GPU slot: utilisation, memory used. */
	private static final Map<String, double[]> FAKE = Map.of("gpu-0", new double[] { 0, 0 }, "gpu-1",
			new double[] { 12, 1024 });

	@Autowired
	TrainingPrograms programs;

	@Autowired
	Telemetry telemetry;

	@Autowired
	RunUsages usages;

	@Test
	void aGpuRunGetsTheSamplesOfItsOwnGpu() throws Exception {
		Path gate = gate();
		Proposal proposal = programs.approve(programs.shellExperiment("""
				while [ ! -f '%s' ]; do sleep 0.1; done
				echo 'val_loss: 1.0'
				""".formatted(gate), "2m", 1), Map.of("lr", 0.01), null);
		Run running = await().atMost(Duration.ofMinutes(3)).until(() -> programs.runOf(proposal),
				run -> run != null && run.status() == RunStatus.RUNNING);
		String slot = running.slot().orElseThrow();
		double[] fake = FAKE.get(slot);

		RunUsage live = await().atMost(Duration.ofMinutes(1))
			.until(() -> telemetry.live(running.id()).orElse(null), usage -> usage != null && usage.samples() >= 2);
		assertThat(live.kind()).isEqualTo(RunUsage.GPU);
		SlotLoad load = telemetry.current().get(slot);
		assertThat(load.utilization()).isEqualTo(fake[0]);
		assertThat(load.memoryMb()).isEqualTo(fake[1]);
		assertThat(load.memoryTotalMb()).isEqualTo(81559L);
		// GPU 0 reports no power draw ([N/A]): unknown, not zero.
		assertThat(load.temperatureC()).isEqualTo(slot.equals("gpu-0") ? 34 : 41);
		assertThat(load.powerW()).isEqualTo(slot.equals("gpu-0") ? null : 71.53);

		Files.createFile(gate);
		assertThat(programs.finishedRunOf(proposal).status()).isEqualTo(RunStatus.SUCCEEDED);
		RunUsage stored = await().atMost(Duration.ofMinutes(1))
			.until(() -> usages.of(running.id()).orElse(null), usage -> usage != null && usage.samples() >= 2);
		assertThat(stored.kind()).isEqualTo(RunUsage.GPU);
		assertThat(stored.utilAvg()).isEqualTo(fake[0]);
		assertThat(stored.utilPeak()).isEqualTo(fake[0]);
		assertThat(stored.memoryPeakMb()).isEqualTo(fake[1]);
		assertThat(telemetry.live(running.id())).as("a finished run is no longer sampled").isEmpty();
	}

	@Test
	void aRunWithoutGpuGetsTheCpuAndMemoryOfItsWholeProcessTree() throws Exception {
		Path gate = gate();
		// A child that holds 64 MiB resident, and the shell itself spinning on a core until the gate opens.
		Proposal proposal = programs.approve(programs.shellExperiment("""
				/usr/bin/python3 -c "
				import os, time
				b = bytearray(64 << 20)
				for i in range(0, len(b), 4096): b[i] = 1
				while not os.path.exists('%1$s'): time.sleep(0.05)
				" &
				while [ ! -f '%1$s' ]; do :; done
				wait
				echo 'val_loss: 1.0'
				""".formatted(gate), "2m", 0), Map.of("lr", 0.01), null);
		Run running = await().atMost(Duration.ofMinutes(3)).until(() -> programs.runOf(proposal),
				run -> run != null && run.status() == RunStatus.RUNNING);

		await().atMost(Duration.ofMinutes(1)).until(() -> telemetry.live(running.id()).orElse(null),
				usage -> usage != null && usage.samples() >= 3 && usage.memoryPeakMb() >= 64);
		Files.createFile(gate);
		assertThat(programs.finishedRunOf(proposal).status()).isEqualTo(RunStatus.SUCCEEDED);

		RunUsage stored = await().atMost(Duration.ofMinutes(1))
			.until(() -> usages.of(running.id()).orElse(null), usage -> usage != null && usage.samples() >= 3);
		assertThat(stored.kind()).as("gpus: 0 sees no GPU, so its processes are sampled").isEqualTo(RunUsage.CPU);
		assertThat(stored.utilPeak()).as("the spinning shell used CPU").isPositive();
		assertThat(stored.utilAvg()).isPositive().isLessThanOrEqualTo(stored.utilPeak());
		assertThat(stored.memoryPeakMb()).isBetween(64.0, 4096.0);
	}

	private static Path gate() throws Exception {
		Path gates = Files.createDirectories(Path.of("target", "gates")).toAbsolutePath();
		return gates.resolve("telemetry-" + System.nanoTime());
	}
}
