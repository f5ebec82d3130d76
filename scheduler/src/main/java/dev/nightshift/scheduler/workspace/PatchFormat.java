package dev.nightshift.scheduler.workspace;

import java.util.regex.Pattern;

/** The two shapes a proposal's patch comes in. */
public enum PatchFormat {

	/** A unified diff as {@code git diff} or {@code diff -u} prints it, with or without {@code a/ b/} prefixes. */
	UNIFIED_DIFF,

	/** Aider-style edit blocks: a file path, then {@code <<<<<<< SEARCH}, old text, {@code =======}, new text,
	 * {@code >>>>>>> REPLACE}. */
	SEARCH_REPLACE;

	private static final Pattern SEARCH_MARKER = Pattern.compile("(?m)^<{5,9} SEARCH[ \\t]*\\r?$");

	private static final Pattern DIFF_HEADER = Pattern.compile("(?m)^(diff --git |--- \\S)");

	private static final Pattern HUNK = Pattern.compile("(?m)^@@ -\\d");

	/**
	 * Tells which form a patch is in. Markers count only at the start of a line, so a diff that edits a file
	 * containing SEARCH markers is still a diff (its lines start with +, - or a space).
	 * @throws PatchRejectedException when the text is neither
	 */
	public static PatchFormat of(String patch) {
		if (SEARCH_MARKER.matcher(patch).find()) {
			return SEARCH_REPLACE;
		}
		if (DIFF_HEADER.matcher(patch).find() && (HUNK.matcher(patch).find() || patch.contains("\nGIT binary patch")
				|| patch.contains("\nrename from ") || patch.contains("\ndeleted file mode")
				|| patch.contains("\nnew file mode"))) {
			return UNIFIED_DIFF;
		}
		throw new PatchRejectedException(null,
				"not a unified diff (no '--- '/'+++ ' headers with '@@' hunks) and no '<<<<<<< SEARCH' block");
	}
}
