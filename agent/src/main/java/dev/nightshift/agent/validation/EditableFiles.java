package dev.nightshift.agent.validation;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Which of a patch's files the experiment's {@code editable} globs allow, with {@link FileSystem#getPathMatcher}
 * "glob:" semantics ({@code *} stays within a folder, {@code **} crosses folders), the same rule the scheduler
 * applies when it prepares a run. No globs allow nothing.
 */
final class EditableFiles {

	private EditableFiles() {
	}

	/** The files no glob matches, in the order given. */
	static List<String> notEditable(List<String> files, List<String> editableGlobs) {
		FileSystem fileSystem = FileSystems.getDefault();
		List<PathMatcher> matchers = editableGlobs.stream()
			.map(glob -> fileSystem.getPathMatcher("glob:" + glob))
			.toList();
		return files.stream()
			.filter(file -> matchers.stream().noneMatch(matcher -> matcher.matches(fileSystem.getPath(file))))
			.toList();
	}
}
