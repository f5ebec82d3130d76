package dev.nightshift.agent.context;

import java.util.ArrayList;
import java.util.List;

import dev.nightshift.agent.ResearchContext;
import org.springframework.stereotype.Component;

/**
 * Renders a {@link ResearchContext} as Markdown for an LLM prompt, within a token budget. Tokens are
 * estimated as {@value #CHARS_PER_TOKEN} characters each, the usual average of GPT and Claude tokenizers on
 * English and code; digits and symbols take more tokens per character, so leave the model some margin.
 * <p>
 * Over budget, detail goes in this order: older recent runs (down to the newest {@value #NEWEST_RUNS_KEPT}),
 * crash log tails, the top runs' parameters, the best run's diff, then every text is shortened (question
 * texts, conclusions, veto reasons, the brief; fewer open questions), and finally dead ends and vetoes go on one
 * line each. The best run, the newest runs, every dead end and every veto reason always stay; when even the
 * most compact digest is over budget it says so in its first line. The same context and budget always give
 * the same text.
 */
@Component
public class DigestRenderer {

	public static final int CHARS_PER_TOKEN = 4;

	/** The newest runs are never trimmed away. */
	public static final int NEWEST_RUNS_KEPT = 5;

	/** The budget a caller that has no better idea can use. */
	public static final int DEFAULT_BUDGET_TOKENS = 6000;

	/** The estimated number of tokens of a text: its characters divided by {@value #CHARS_PER_TOKEN}, rounded up. */
	public static int estimateTokens(String text) {
		return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
	}

	/** The digest, at the most detail that fits {@code budgetTokens}. */
	public String render(ResearchContext context, int budgetTokens) {
		int runs = context.history() == null ? 0 : context.history().size();
		Detail full = Detail.FULL.withRecentRuns(runs);
		String text = DigestWriter.write(context, full);
		if (fits(text, budgetTokens)) {
			return text;
		}
		int kept = Math.min(NEWEST_RUNS_KEPT, runs);
		Detail fewestRuns = full.withRecentRuns(kept);
		String shortest = DigestWriter.write(context, fewestRuns);
		if (fits(shortest, budgetTokens)) {
			return mostRunsThatFit(context, full, kept, runs, budgetTokens);
		}
		String last = shortest;
		for (Detail detail : trimmed(fewestRuns)) {
			last = DigestWriter.write(context, detail);
			if (fits(last, budgetTokens)) {
				return last;
			}
		}
		return "[Over budget: about " + estimateTokens(last) + " tokens for a budget of " + budgetTokens
				+ "; the best run, the newest runs, every dead end and every veto are kept in short form.]\n" + last;
	}

	/** The largest number of recent runs, between {@code fits} (known to fit) and {@code all}, that fits. */
	private static String mostRunsThatFit(ResearchContext context, Detail full, int fits, int all, int budget) {
		int low = fits;
		int high = all;
		while (low < high) {
			int middle = low + (high - low + 1) / 2;
			if (fits(DigestWriter.write(context, full.withRecentRuns(middle)), budget)) {
				low = middle;
			}
			else {
				high = middle - 1;
			}
		}
		return DigestWriter.write(context, full.withRecentRuns(low));
	}

	/** The levels after the recent runs are cut to the newest few, from most to least detail. */
	private static List<Detail> trimmed(Detail start) {
		List<Detail> levels = new ArrayList<>();
		Detail detail = start;
		for (int lines : new int[] {10, 3, 0}) {
			levels.add(detail = detail.withCrashLines(lines));
		}
		levels.add(detail = detail.withoutTopRunParams());
		for (int chars : new int[] {1500, 400, 0}) {
			levels.add(detail = detail.withDiffChars(chars));
		}
		levels.add(detail = detail.withTexts(240, 10, 1500));
		levels.add(detail = detail.withTexts(120, 3, 500));
		levels.add(detail = detail.compacted().withTexts(80, 0, 300));
		levels.add(detail.withTexts(40, 0, 120));
		return levels;
	}

	private static boolean fits(String text, int budgetTokens) {
		return estimateTokens(text) <= budgetTokens;
	}
}
