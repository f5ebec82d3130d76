package dev.nightshift.web.importer;

/**
 * One line of an autoresearch {@code results.tsv}.
 *
 * @param commit      the commit as written (autoresearch writes seven characters)
 * @param fullCommit  the full id of that commit when the repository has it, else null
 * @param objective   the metric's value; null for a crash (autoresearch writes 0.000000)
 * @param memoryGb    peak memory in GB
 * @param status      keep, discard or crash
 * @param description what the run tried
 */
record HistoryRow(String commit, String fullCommit, Double objective, double memoryGb, String status,
		String description) {
}
