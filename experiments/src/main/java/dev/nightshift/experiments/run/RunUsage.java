package dev.nightshift.experiments.run;

/**
 * What a run used of its slot while it trained, from samples the server took every few seconds.
 *
 * @param kind         {@code GPU}: utilisation and memory used of the run's GPUs (the mean utilisation over them,
 *                     the memory summed); {@code CPU}: its processes' CPU time in percent of one core (200 is two
 *                     busy cores) and their resident memory
 * @param samples      how many samples the aggregates are made of
 * @param utilAvg      mean utilisation, percent
 * @param utilPeak     highest utilisation of one sample, percent
 * @param memoryPeakMb highest memory of one sample, MiB; null when it was never reported
 */
public record RunUsage(String kind, int samples, double utilAvg, double utilPeak, Double memoryPeakMb) {

	public static final String GPU = "GPU";

	public static final String CPU = "CPU";
}
