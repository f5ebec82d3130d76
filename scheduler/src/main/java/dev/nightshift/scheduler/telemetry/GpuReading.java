package dev.nightshift.scheduler.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * One GPU in one {@code nvidia-smi} sample; a field it answers {@code [N/A]} (or {@code [Not Supported]}) for is
 * null.
 *
 * @param memoryUsedMb  MiB
 * @param memoryTotalMb MiB
 * @param utilization   percent
 * @param temperatureC  degrees Celsius
 * @param powerW        watts drawn
 */
public record GpuReading(int index, Long memoryUsedMb, Long memoryTotalMb, Integer utilization, Integer temperatureC,
		Double powerW) {

	/**
	 * The fields asked for: those of the discovery query ({@code NvidiaSmi}), then temperature and power, so that a
	 * sample reads as the discovery query's line with two more fields.
	 */
	static final String FIELDS = "index,name,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw";

	/**
	 * Parses the lines of {@code nvidia-smi --query-gpu=}{@value #FIELDS}{@code --format=csv,noheader,nounits},
	 * e.g. {@code 0, NVIDIA H100 80GB HBM3, 81559, 973, 29, 41, 118.52}; a line of the discovery query alone
	 * (five fields) reads with temperature and power unknown. Any other line is skipped.
	 */
	static List<GpuReading> parse(String text) {
		List<GpuReading> readings = new ArrayList<>();
		for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
			String[] fields = line.split(",\\s*");
			if (fields.length != 5 && fields.length != 7) {
				continue;
			}
			try {
				Double index = number(fields[0]);
				if (index == null) {
					continue;
				}
				boolean more = fields.length == 7;
				readings.add(new GpuReading(index.intValue(), whole(number(fields[3])), whole(number(fields[2])),
						integer(number(fields[4])), more ? integer(number(fields[5])) : null, more ? number(fields[6]) : null));
			}
			catch (NumberFormatException notOurs) {
				// a header, a warning line or another format: not a reading
			}
		}
		return readings;
	}

	private static Double number(String field) {
		String value = field.strip();
		// nvidia-smi prints [N/A] or [Not Supported] for what a GPU (or a MIG slice) does not report.
		if (value.isEmpty() || value.startsWith("[") || value.equalsIgnoreCase("N/A")) {
			return null;
		}
		return Double.valueOf(value);
	}

	private static Long whole(Double value) {
		return value == null ? null : Math.round(value);
	}

	private static Integer integer(Double value) {
		return value == null ? null : (int) Math.round(value);
	}
}
