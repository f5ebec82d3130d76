package dev.nightshift.scheduler.process;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU and memory use of a set of processes, read from {@code /proc}: the CPU time of each process so far (to be
 * compared with the previous reading) and their resident memory together. A process that ended meanwhile is
 * left out.
 *
 * @param cpuTicks       clock ticks of CPU time used so far, by process id
 * @param residentBytes  resident memory of all of them together
 */
public record ProcessUsage(Map<Long, Long> cpuTicks, long residentBytes) {

	/** Reads every process in {@code pids} now. */
	public static ProcessUsage read(Collection<Long> pids) {
		Map<Long, Long> ticks = new HashMap<>();
		long resident = 0;
		for (long pid : pids) {
			var used = ProcFs.cpuTicks(pid);
			if (used.isPresent()) {
				ticks.put(pid, used.get());
				resident += ProcFs.residentBytes(pid);
			}
		}
		return new ProcessUsage(Map.copyOf(ticks), resident);
	}

	/**
	 * The CPU time used since {@code before}, in clock ticks: for each process seen both times the difference,
	 * for one that is new all of its time (it started after {@code before}). Time of processes that ended in
	 * between is not seen.
	 */
	public long ticksSince(ProcessUsage before) {
		long total = 0;
		for (Map.Entry<Long, Long> now : cpuTicks.entrySet()) {
			long earlier = before.cpuTicks.getOrDefault(now.getKey(), 0L);
			total += Math.max(0, now.getValue() - earlier);
		}
		return total;
	}
}
