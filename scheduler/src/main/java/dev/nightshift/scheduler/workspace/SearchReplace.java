package dev.nightshift.scheduler.workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SEARCH/REPLACE edit blocks, the form LLM coders write edits in: a file path on the line before the block
 * (code fences between them are fine), the exact old text, and the new text. Each SEARCH must match exactly
 * once, because an edit that could land in two places is a guess; an empty SEARCH creates a new file.
 */
final class SearchReplace {

	private static final Pattern SEARCH = Pattern.compile("<{5,9} SEARCH\\s*");

	private static final Pattern DIVIDER = Pattern.compile("={5,9}\\s*");

	private static final Pattern REPLACE = Pattern.compile(">{5,9} REPLACE\\s*");

	private SearchReplace() {
	}

	/** One block: replace {@code search} by {@code replace} in {@code path}; {@code number} counts from 1. */
	record Edit(int number, String path, String search, String replace) {
	}

	/** Reads every block in the order written; later blocks see the result of earlier ones on the same file. */
	static List<Edit> parse(String patch) {
		List<String> lines = patch.lines().toList();
		List<Edit> edits = new ArrayList<>();
		String path = null;
		int afterLastBlock = 0;
		int i = 0;
		while (i < lines.size()) {
			if (!SEARCH.matcher(lines.get(i)).matches()) {
				i++;
				continue;
			}
			int number = edits.size() + 1;
			String named = pathBefore(lines, afterLastBlock, i);
			if (named != null) {
				path = normalisePath(named);
			}
			if (path == null) {
				throw new PatchRejectedException(null, "SEARCH block " + number + " has no file path on the line before it");
			}
			int divider = indexOf(lines, DIVIDER, i + 1);
			int end = divider < 0 ? -1 : indexOf(lines, REPLACE, divider + 1);
			if (end < 0) {
				throw new PatchRejectedException(path, "SEARCH block " + number + " is not closed by "
						+ (divider < 0 ? "a '=======' line" : "a '>>>>>>> REPLACE' line"));
			}
			edits.add(new Edit(number, path, text(lines.subList(i + 1, divider)), text(lines.subList(divider + 1, end))));
			afterLastBlock = end + 1;
			i = end + 1;
		}
		return edits;
	}

	/**
	 * The content of the file after one edit.
	 * @param content the file's text before, or {@code null} when the file does not exist
	 * @throws PatchRejectedException when SEARCH is not found, matches more than once, or names a missing file
	 */
	static String apply(Edit edit, String content) {
		if (content == null) {
			if (!edit.search().isEmpty()) {
				throw new PatchRejectedException(edit.path(), "file not found in the base commit (SEARCH block "
						+ edit.number() + "); an empty SEARCH creates a new file");
			}
			return edit.replace();
		}
		if (edit.search().isEmpty()) {
			if (!content.isEmpty()) {
				throw new PatchRejectedException(edit.path(), "SEARCH block " + edit.number()
						+ " is empty but the file exists; an empty SEARCH only creates a new file");
			}
			return edit.replace();
		}
		// Blocks always end in a newline; a file without a final one still matches at its end.
		boolean addedNewline = !content.endsWith("\n");
		String text = addedNewline ? content + "\n" : content;
		int matches = count(text, edit.search());
		if (matches != 1) {
			String firstLine = edit.search().lines().findFirst().orElse("").strip();
			throw new PatchRejectedException(edit.path(), "SEARCH block " + edit.number()
					+ (matches == 0 ? " not found" : " matches " + matches + " times; it must match exactly once")
					+ " (it starts with '" + firstLine + "')");
		}
		int at = text.indexOf(edit.search());
		String result = text.substring(0, at) + edit.replace() + text.substring(at + edit.search().length());
		return addedNewline && result.endsWith("\n") ? result.substring(0, result.length() - 1) : result;
	}

	/**
	 * A repository-relative path that cannot leave the checkout or reach into {@code .git}.
	 * @throws PatchRejectedException for absolute paths, {@code ..} and {@code .git}
	 */
	static String normalisePath(String path) {
		String clean = path.strip();
		while (clean.startsWith("./")) {
			clean = clean.substring(2);
		}
		if (clean.isEmpty() || clean.startsWith("/") || clean.contains("\\")) {
			throw new PatchRejectedException(path, "not a relative path inside the repository");
		}
		for (String part : clean.split("/")) {
			if (part.isEmpty() || part.equals(".") || part.equals("..") || part.equalsIgnoreCase(".git")) {
				throw new PatchRejectedException(path, "not a relative path inside the repository");
			}
		}
		return clean;
	}

	/** The nearest line above a block that is neither blank nor a code fence, stopping at the previous block. */
	private static String pathBefore(List<String> lines, int from, int block) {
		for (int j = block - 1; j >= from; j--) {
			String line = lines.get(j).strip();
			if (line.isEmpty() || line.startsWith("```") || line.startsWith("~~~")) {
				continue;
			}
			return stripDecoration(line);
		}
		return null;
	}

	/** LLMs write {@code `train.py`} or {@code **train.py**}; the path is what is inside. */
	private static String stripDecoration(String line) {
		String path = line;
		while (!path.isEmpty() && "`*'\"".indexOf(path.charAt(0)) >= 0) {
			path = path.substring(1);
		}
		while (!path.isEmpty() && "`*'\":".indexOf(path.charAt(path.length() - 1)) >= 0) {
			path = path.substring(0, path.length() - 1);
		}
		return path;
	}

	private static int indexOf(List<String> lines, Pattern marker, int from) {
		for (int j = from; j < lines.size(); j++) {
			if (marker.matcher(lines.get(j)).matches()) {
				return j;
			}
		}
		return -1;
	}

	private static String text(List<String> lines) {
		return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
	}

	/** Counts overlapping occurrences too: "aa" is in "aaa" twice, and both are candidates for an edit. */
	private static int count(String text, String search) {
		int count = 0;
		for (int at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + 1)) {
			count++;
		}
		return count;
	}
}
