package dev.nightshift.scheduler.telemetry;

import dev.nightshift.experiments.run.RunUsage;
import dev.nightshift.scheduler.process.ProcessUsage;

/**
 * One run's running aggregates: a sum for the mean, the peaks and the count, so that a sample costs a few
 * additions and the aggregates can be continued from what was stored (a server restart, or a re-attached run).
 */
final class UsageAggregate {

	final String kind;
	private int samples;
	private double utilSum;
	private double utilPeak;
	private Double memoryPeakMb;
	long lastWrittenNanos;
	// CPU runs: the previous reading of the process tree and when it was taken.
	ProcessUsage previous;
	long previousNanos;

	UsageAggregate(String kind, RunUsage stored, long nowNanos) {
		this.kind = kind;
		this.lastWrittenNanos = nowNanos;
		if (stored != null && stored.kind().equals(kind)) {
			samples = stored.samples();
			utilSum = stored.utilAvg() * stored.samples();
			utilPeak = stored.utilPeak();
			memoryPeakMb = stored.memoryPeakMb();
		}
	}

	void add(double utilization, Double memoryMb) {
		samples++;
		utilSum += utilization;
		utilPeak = Math.max(utilPeak, utilization);
		if (memoryMb != null) {
			memoryPeakMb = memoryPeakMb == null ? memoryMb : Math.max(memoryPeakMb, memoryMb);
		}
	}

	boolean sampled() {
		return samples > 0;
	}

	RunUsage snapshot() {
		return new RunUsage(kind, samples, samples == 0 ? 0 : utilSum / samples, utilPeak, memoryPeakMb);
	}
}
