package dev.nightshift.web.monitoring;

import java.util.Objects;
import java.util.function.Function;

import dev.nightshift.scheduler.dispatch.SlotBoard;
import dev.nightshift.scheduler.slot.Slot;
import dev.nightshift.scheduler.slot.SlotInventory;
import dev.nightshift.scheduler.telemetry.SlotLoad;
import dev.nightshift.scheduler.telemetry.Telemetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The slots from memory: how many there are and are busy (the slot board), and each slot's load in the latest
 * telemetry sample (NaN while it reports none: temperature and power are a GPU's only). The slots are fixed at start, so are these series.
 */
@Component
class SlotGauges {

	SlotGauges(MeterRegistry registry, SlotInventory inventory, SlotBoard board, Telemetry telemetry) {
		Gauge.builder("nightshift.slots", inventory, i -> i.slots().size()).description("Slots of this server")
			.register(registry);
		Gauge.builder("nightshift.slots.busy", board, b -> b.snapshot().values().stream().filter(Objects::nonNull).count())
			.description("Slots holding a run").register(registry);
		for (Slot slot : inventory.slots()) {
			String kind = slot.isGpu() ? "GPU" : "CPU";
			load(registry, telemetry, slot, kind, "nightshift.slot.utilization", "percent",
					"Utilisation of the slot's GPU, or of one core by the run on a CPU slot", SlotLoad::utilization);
			load(registry, telemetry, slot, kind, "nightshift.slot.memory", "mebibytes",
					"GPU memory used, or the resident memory of the run on a CPU slot", SlotLoad::memoryMb);
			// Every slot has these series, NaN where nothing is reported (a CPU slot, a GPU that answers [N/A]).
			load(registry, telemetry, slot, kind, "nightshift.slot.temperature", "celsius", "GPU temperature",
					l -> l.temperatureC() == null ? null : l.temperatureC().doubleValue());
			load(registry, telemetry, slot, kind, "nightshift.slot.power", "watts", "GPU power draw", SlotLoad::powerW);
		}
	}

	private static void load(MeterRegistry registry, Telemetry telemetry, Slot slot, String kind, String name,
			String unit, String description, Function<SlotLoad, Double> value) {
		Gauge.builder(name, telemetry, t -> {
			SlotLoad load = t.current().get(slot.id());
			Double v = load == null ? null : value.apply(load);
			return v == null ? Double.NaN : v;
		}).baseUnit(unit).description(description).tag("slot", slot.id()).tag("kind", kind).register(registry);
	}
}
