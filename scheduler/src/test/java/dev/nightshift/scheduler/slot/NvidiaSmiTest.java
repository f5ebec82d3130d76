package dev.nightshift.scheduler.slot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class NvidiaSmiTest {

	@Test
	void recordedH100OutputIsOneGpuSlot() throws Exception {
		NvidiaSmi.Discovery found = NvidiaSmi.interpret(0, fixture("nvidia-smi-query-h100.txt"));
		assertThat(found.gpus()).containsExactly(new GpuInfo(0, "NVIDIA H100 80GB HBM3", 81559L, 0L, 0));
		SlotInventory inventory = SlotInventory.of(found, 3);
		assertThat(inventory.slots()).extracting(Slot::id).containsExactly("gpu-0");
		assertThat(Slot.cudaVisibleDevices(inventory.slots())).isEqualTo("0");
	}

	@Test
	void notAvailableFieldsBecomeUnknownValues() throws Exception {
		NvidiaSmi.Discovery found = NvidiaSmi.interpret(0, fixture("nvidia-smi-query-na.txt"));
		assertThat(found.gpus()).hasSize(2);
		assertThat(found.gpus().get(1)).isEqualTo(new GpuInfo(1, "NVIDIA A100-SXM4-80GB MIG 3g.40gb", 81920L, null, null));
	}

	@Test
	void noDevicesMeansCpuSlotsWithTheReasonKept() throws Exception {
		NvidiaSmi.Discovery found = NvidiaSmi.interpret(6, fixture("nvidia-smi-no-devices.txt"));
		SlotInventory inventory = SlotInventory.of(found, 2);
		assertThat(inventory.slots()).extracting(Slot::id).containsExactly("cpu-0", "cpu-1");
		assertThat(inventory.hasGpus()).isFalse();
		assertThat(inventory.gpuProblem()).contains("No devices were found");
		assertThat(Slot.cudaVisibleDevices(inventory.slots())).isEmpty();
	}

	@Test
	void driverFailureMeansCpuSlots() throws Exception {
		NvidiaSmi.Discovery found = NvidiaSmi.interpret(9, fixture("nvidia-smi-no-driver.txt"));
		assertThat(found.gpus()).isEmpty();
		assertThat(found.problem()).contains("couldn't communicate with the NVIDIA driver");
	}

	@Test
	void missingCommandMeansCpuSlots() {
		SlotInventory inventory = SlotInventory.discover(new NvidiaSmi("/nonexistent/nvidia-smi"), 1);
		assertThat(inventory.slots()).extracting(Slot::id).containsExactly("cpu-0");
		assertThat(inventory.gpuProblem()).contains("not installed");
	}

	@Test
	void fakeTwoGpuNvidiaSmiGivesTwoGpuSlots() throws Exception {
		Path fake = Path.of(getClass().getResource("/gpu/fake-nvidia-smi-2gpus.sh").toURI());
		fake.toFile().setExecutable(true);
		SlotInventory inventory = SlotInventory.discover(new NvidiaSmi(fake.toString()), 1);
		assertThat(inventory.slots()).extracting(Slot::id).containsExactly("gpu-0", "gpu-1");
		assertThat(inventory.slots().get(1).gpu().memoryUsedMb()).isEqualTo(1024L);
		assertThat(Slot.cudaVisibleDevices(inventory.slots())).isEqualTo("0,1");
	}

	private String fixture(String name) throws IOException, URISyntaxException {
		return Files.readString(Path.of(getClass().getResource("/gpu/" + name).toURI()));
	}
}
