package dev.nightshift.scheduler.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a patch to a base commit inside the object database only: a throw-away index file is loaded with
 * the base tree, the patch goes into it, and {@code git write-tree} gives the result. No checkout is touched,
 * so a patch that fails leaves nothing behind, and validation can use the same code as the run.
 */
final class PatchedTree {

	private static final Pattern FAILED_AT = Pattern.compile("error: patch failed: (.+):\\d+");

	private static final Pattern FAILED_ON = Pattern.compile(
			"error: (.+?): (patch does not apply|does not exist in index|already exists in index|does not match index"
					+ "|No such file or directory|wrong type|has type \\d+, expected \\d+)");

	private static final Pattern TARGET = Pattern.compile("(?m)^(?:\\+\\+\\+|---) (?:[ab]/)?(\\S+)");

	private static final Pattern PREFIXED = Pattern.compile("(?m)^(diff --git a/|--- a/|\\+\\+\\+ b/)");

	private final Git git;

	private final Path repo;

	PatchedTree(Git git, Path repo) {
		this.git = git;
		this.repo = repo;
	}

	/**
	 * The id of the tree that {@code base} becomes with {@code patch} applied.
	 * @throws PatchRejectedException when the patch does not apply
	 */
	String apply(String base, String patch) {
		Path index = repo.resolve(".git").resolve("nightshift-index-" + UUID.randomUUID());
		Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
		try {
			git.check(repo, env, null, "read-tree", base);
			switch (PatchFormat.of(patch)) {
				case UNIFIED_DIFF -> applyDiff(env, patch);
				case SEARCH_REPLACE -> applyEdits(env, base, patch);
			}
			return git.check(repo, env, null, "write-tree").line();
		}
		finally {
			try {
				Files.deleteIfExists(index);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private void applyDiff(Map<String, String> env, String patch) {
		// A diff cut off before its last newline is otherwise "corrupt" to git.
		byte[] bytes = (patch.endsWith("\n") ? patch : patch + "\n").getBytes(StandardCharsets.UTF_8);
		Git.Result result = git.run(repo, env, bytes, "apply", "--cached", "-p1", "--whitespace=nowarn", "-");
		if (!result.ok() && !PREFIXED.matcher(patch).find()) {
			// Written as "--- train.py" (diff -u, many LLMs): strip no leading directory.
			result = git.run(repo, env, bytes, "apply", "--cached", "-p0", "--whitespace=nowarn", "-");
		}
		if (!result.ok()) {
			throw new PatchRejectedException(failedFile(result.err(), patch),
					"git apply: " + Git.firstLines(result.err(), 3));
		}
	}

	private void applyEdits(Map<String, String> env, String base, String patch) {
		Map<String, List<SearchReplace.Edit>> byFile = new LinkedHashMap<>();
		for (SearchReplace.Edit edit : SearchReplace.parse(patch)) {
			byFile.computeIfAbsent(edit.path(), path -> new ArrayList<>()).add(edit);
		}
		for (Map.Entry<String, List<SearchReplace.Edit>> file : byFile.entrySet()) {
			String path = file.getKey();
			String[] entry = treeEntry(base, path);
			String mode = entry == null ? "100644" : entry[0];
			String content = entry == null ? null
					: git.check(repo, "cat-file", "blob", entry[2]).text();
			for (SearchReplace.Edit edit : file.getValue()) {
				content = SearchReplace.apply(edit, content);
			}
			String blob = git.check(repo, Map.of(), content.getBytes(StandardCharsets.UTF_8), "hash-object", "-w",
					"--no-filters", "--stdin").line();
			Git.Result added = git.run(repo, env, null, "update-index", "--add", "--cacheinfo",
					mode + "," + blob + "," + path);
			if (!added.ok()) {
				throw new PatchRejectedException(path, Git.firstLines(added.err(), 2));
			}
		}
	}

	/** {mode, type, id} of {@code path} in the base tree, or {@code null} when it is not there. */
	private String[] treeEntry(String base, String path) {
		String listing = git.check(repo, "ls-tree", "-z", "--full-tree", base, "--", path).text();
		for (String record : listing.split("\0")) {
			int tab = record.indexOf('\t');
			if (tab > 0 && record.substring(tab + 1).equals(path)) {
				String[] entry = Arrays.copyOf(record.substring(0, tab).split(" "), 3);
				if (!entry[1].equals("blob") || entry[0].equals("120000")) {
					throw new PatchRejectedException(path, "not a regular file in the base commit");
				}
				return entry;
			}
		}
		return null;
	}

	/** The file git complained about, or else the first file the diff names. */
	private static String failedFile(String err, String patch) {
		for (String line : err.lines().toList()) {
			for (Pattern pattern : List.of(FAILED_AT, FAILED_ON)) {
				Matcher matcher = pattern.matcher(line.strip());
				if (matcher.matches() || (pattern == FAILED_ON && matcher.lookingAt())) {
					return matcher.group(1);
				}
			}
		}
		Matcher target = TARGET.matcher(patch);
		while (target.find()) {
			if (!target.group(1).equals("/dev/null")) {
				return target.group(1);
			}
		}
		return null;
	}
}
