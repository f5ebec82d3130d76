package dev.nightshift.web.ui;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.experiments.run.RunUsages;
import dev.nightshift.scheduler.telemetry.SlotLoad;
import dev.nightshift.scheduler.telemetry.Telemetry;
import org.springframework.stereotype.Component;

/**
 * What runs and slots use, in words for the pages: a running run's aggregates come from the telemetry's memory
 * (fresher than what was last written), a finished run's from the database, one query for a whole page of runs.
 */
@Component
class UsageView {

	private final Telemetry telemetry;
	private final RunUsages usages;

	UsageView(Telemetry telemetry, RunUsages usages) {
		this.telemetry = telemetry;
		this.usages = usages;
	}

	/**
	 * A run's usage.
	 *
	 * @param summary one line for the runs table, e.g. {@code GPU 31 / 33 % · 979 MiB}
	 * @param detail  the same in full words, for the run page and the table's tooltip
	 */
	record Usage(String kind, double average, double peak, Double memoryPeakMb, int samples, String summary,
			String detail) {

		static Usage of(RunUsage u) {
			String memory = u.memoryPeakMb() == null ? null : mib(u.memoryPeakMb());
			String summary = u.kind() + " " + whole(u.utilAvg()) + " / " + whole(u.utilPeak()) + " %"
					+ (memory == null ? "" : " · " + memory);
			String detail = u.kind().equals(RunUsage.GPU)
					? "GPU utilisation " + whole(u.utilAvg()) + " % on average, " + whole(u.utilPeak()) + " % at peak"
							+ (memory == null ? "" : "; GPU memory " + memory + " at peak")
					: "CPU " + whole(u.utilAvg()) + " % of one core on average, " + whole(u.utilPeak()) + " % at peak"
							+ (memory == null ? "" : "; resident memory " + memory + " at peak");
			return new Usage(u.kind(), u.utilAvg(), u.utilPeak(), u.memoryPeakMb(), u.samples(), summary,
					detail + " (" + u.samples() + (u.samples() == 1 ? " sample)" : " samples)"));
		}
	}

	/**
	 * A slot's load now.
	 *
	 * @param percent   utilisation for the bar, 0–100 (a CPU slot's beyond one core shows full)
	 * @param text      e.g. {@code 31 % · 973 MiB / 80 GiB · 41 °C · 118 W}
	 */
	record Load(String kind, double percent, String text) {

		static Load of(SlotLoad l) {
			StringBuilder text = new StringBuilder(l.utilization() == null ? "—" : whole(l.utilization()) + " %");
			if (l.memoryMb() != null) {
				text.append(" · ").append(mib(l.memoryMb()));
				if (l.memoryTotalMb() != null) {
					text.append(" / ").append(mib(l.memoryTotalMb().doubleValue()));
				}
			}
			if (l.temperatureC() != null) {
				text.append(" · ").append(l.temperatureC()).append(" °C");
			}
			if (l.powerW() != null) {
				text.append(" · ").append(String.format(Locale.ROOT, "%.0f W", l.powerW()));
			}
			double bar = l.utilization() == null ? 0 : Math.min(100, Math.max(0, l.utilization()));
			return new Load(l.kind(), bar, text.toString());
		}
	}

	Optional<Usage> ofRun(RunId run) {
		return telemetry.live(run).or(() -> usages.of(run)).map(Usage::of);
	}

	/** The usage of each of {@code runs} that has one, by run id. */
	Map<Long, Usage> ofRuns(Collection<Long> runs) {
		Map<Long, Usage> found = new HashMap<>();
		usages.of(runs).forEach((id, usage) -> found.put(id, Usage.of(usage)));
		for (Long id : runs) {
			telemetry.live(new RunId(id)).ifPresent(usage -> found.put(id, Usage.of(usage)));
		}
		return found;
	}

	/** Every slot's load in the latest sample, by slot id. */
	Map<String, Load> slots() {
		Map<String, Load> loads = new HashMap<>();
		telemetry.current().forEach((slot, load) -> loads.put(slot, Load.of(load)));
		return loads;
	}

	private static String whole(double value) {
		return String.format(Locale.ROOT, "%.0f", value);
	}

	private static String mib(double megabytes) {
		return megabytes >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", megabytes / 1024)
				: String.format(Locale.ROOT, "%.0f MiB", megabytes);
	}
}
