package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProcessUsageTest {

	@Test
	void aBusyProcessShowsCpuTimeGrowingAndItsResidentMemory() throws Exception {
		// A real process that touches 32 MiB and then spins until it is stopped.
		Process busy = new ProcessBuilder("/usr/bin/python3", "-c",
				"b = bytearray(32 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('ready', flush=True)\nwhile True: pass")
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(new String(busy.getInputStream().readNBytes(5))).isEqualTo("ready");
			ProcessUsage first = ProcessUsage.read(List.of(busy.pid()));
			assertThat(first.cpuTicks()).containsKey(busy.pid());
			assertThat(first.residentBytes()).isGreaterThan(32L << 20);
			await().atMost(Duration.ofMinutes(1))
				.until(() -> ProcessUsage.read(List.of(busy.pid())).ticksSince(first) > 0);
		}
		finally {
			busy.destroyForcibly().waitFor();
		}
		assertThat(ProcessUsage.read(List.of(busy.pid())).cpuTicks()).as("an ended process is left out").isEmpty();
	}
}
