package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A patch as lines a template can colour: unified diffs with old and new line numbers taken from the hunk
 * headers, and SEARCH/REPLACE blocks with the searched text as removed and the replacement as added. Rendered
 * on the server, so a diff reads the same with scripts off.
 */
final class DiffView {

	/** Longer patches are cut here; the full text stays in the proposal. */
	static final int MAX_LINES = 5000;

	private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

	private DiffView() {
	}

	/**
	 * One line of a patch.
	 *
	 * @param kind    {@code file}, {@code hunk}, {@code add}, {@code del}, {@code ctx} or {@code note}
	 * @param oldLine its number in the old file, when it has one
	 * @param newLine its number in the new file, when it has one
	 */
	record Line(String kind, Integer oldLine, Integer newLine, String text) {
	}

	static List<Line> of(String patch) {
		if (patch == null || patch.isBlank()) {
			return List.of();
		}
		List<String> lines = patch.lines().toList();
		List<Line> view = lines.stream().anyMatch(l -> l.matches("^<{5,9} SEARCH\\s*$")) ? searchReplace(lines)
				: unified(lines);
		if (view.size() > MAX_LINES) {
			List<Line> cut = new ArrayList<>(view.subList(0, MAX_LINES));
			cut.add(new Line("note", null, null, "… " + (view.size() - MAX_LINES) + " more lines"));
			return cut;
		}
		return view;
	}

	private static List<Line> unified(List<String> lines) {
		List<Line> view = new ArrayList<>();
		int oldLine = 0;
		int newLine = 0;
		// Lines still expected in the current hunk, from its header; outside a hunk both are 0.
		int oldLeft = 0;
		int newLeft = 0;
		for (String line : lines) {
			Matcher hunk = HUNK.matcher(line);
			boolean inHunk = oldLeft > 0 || newLeft > 0;
			if (hunk.matches()) {
				oldLine = Integer.parseInt(hunk.group(1));
				oldLeft = count(hunk.group(2));
				newLine = Integer.parseInt(hunk.group(3));
				newLeft = count(hunk.group(4));
				view.add(new Line("hunk", null, null, line));
			}
			else if (inHunk && line.startsWith("+")) {
				newLeft--;
				view.add(new Line("add", null, newLine++, line));
			}
			else if (inHunk && line.startsWith("-")) {
				oldLeft--;
				view.add(new Line("del", oldLine++, null, line));
			}
			else if (line.startsWith("\\")) {
				view.add(new Line("note", null, null, line));
			}
			else if (inHunk) {
				oldLeft--;
				newLeft--;
				view.add(new Line("ctx", oldLine++, newLine++, line));
			}
			else {
				view.add(new Line("file", null, null, line));
			}
		}
		return view;
	}

	private static int count(String text) {
		return text == null ? 1 : Integer.parseInt(text);
	}

	private static List<Line> searchReplace(List<String> lines) {
		List<Line> view = new ArrayList<>();
		String part = "path";
		for (String line : lines) {
			if (line.matches("^<{5,9} SEARCH\\s*$")) {
				part = "search";
				view.add(new Line("hunk", null, null, line));
			}
			else if (line.matches("^={5,9}\\s*$") && part.equals("search")) {
				part = "replace";
				view.add(new Line("hunk", null, null, line));
			}
			else if (line.matches("^>{5,9} REPLACE\\s*$")) {
				part = "path";
				view.add(new Line("hunk", null, null, line));
			}
			else if (part.equals("search")) {
				view.add(new Line("del", null, null, "-" + line));
			}
			else if (part.equals("replace")) {
				view.add(new Line("add", null, null, "+" + line));
			}
			else if (!line.isBlank() && !line.startsWith("```")) {
				view.add(new Line("file", null, null, line));
			}
		}
		return view;
	}
}
