package dev.nightshift.agent.context;

/**
 * How much of each trimmable part a digest shows.
 *
 * @param recentRuns    newest runs listed, at least {@link DigestRenderer#NEWEST_RUNS_KEPT}
 * @param crashLines    log lines per crash; 0 leaves only the error's first line
 * @param topRunParams  whether the top runs are listed with their parameters, or only ids and objectives
 * @param diffChars     characters of the best run's diff; 0 leaves only its size
 * @param textChars     the longest question text, conclusion or veto reason
 * @param openQuestions open questions listed, the newest first
 * @param briefChars    characters of the research brief
 * @param compact       dead ends and vetoes on one line each
 */
record Detail(int recentRuns, int crashLines, boolean topRunParams, int diffChars, int textChars, int openQuestions,
		int briefChars, boolean compact) {

	/** Everything, with generous bounds on single texts. */
	static final Detail FULL = new Detail(Integer.MAX_VALUE, 30, true, 6000, 600, 50, 6000, false);

	Detail withRecentRuns(int value) {
		return new Detail(value, crashLines, topRunParams, diffChars, textChars, openQuestions, briefChars, compact);
	}

	Detail withCrashLines(int value) {
		return new Detail(recentRuns, value, topRunParams, diffChars, textChars, openQuestions, briefChars, compact);
	}

	Detail withoutTopRunParams() {
		return new Detail(recentRuns, crashLines, false, diffChars, textChars, openQuestions, briefChars, compact);
	}

	Detail withDiffChars(int value) {
		return new Detail(recentRuns, crashLines, topRunParams, value, textChars, openQuestions, briefChars, compact);
	}

	/** Shorter texts everywhere: questions, conclusions, reasons, the brief, fewer open questions. */
	Detail withTexts(int text, int open, int brief) {
		return new Detail(recentRuns, crashLines, topRunParams, diffChars, text, open, brief, compact);
	}

	Detail compacted() {
		return new Detail(recentRuns, crashLines, topRunParams, diffChars, textChars, openQuestions, briefChars, true);
	}
}
