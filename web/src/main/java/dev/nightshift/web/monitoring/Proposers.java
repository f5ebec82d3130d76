package dev.nightshift.web.monitoring;

/** The {@code proposer} label: {@code llm:<model>} and {@code strategy:<name>} as they are, a person as {@code human}. */
final class Proposers {

	private Proposers() {
	}

	static String label(String proposer) {
		if (proposer == null || proposer.isBlank()) {
			return "unknown";
		}
		if (proposer.startsWith("llm:") || proposer.startsWith("strategy:")) {
			return proposer.length() > 64 ? proposer.substring(0, 64) : proposer;
		}
		int colon = proposer.indexOf(':');
		return colon > 0 ? proposer.substring(0, colon) : proposer;
	}
}
