package dev.nightshift.scheduler.process;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Reading a run's log ({@code run.log} in its run directory) for people: the API and the browser's live view.
 * The log is opened without following links and only as a regular file, so a log replaced by a link to a
 * root-only file (what a run with write access to its directory would try) is never served.
 */
public final class RunLog {

	private RunLog() {
	}

	/** The log of the run whose directory is {@code runDir}. */
	public static Path of(Path runDir) {
		return runDir.resolve(RunDirectory.LOG);
	}

	/**
	 * Opens the log for reading; empty when there is none yet, or when what is there is a link or not a regular
	 * file.
	 */
	public static Optional<SeekableByteChannel> open(Path log) throws IOException {
		try {
			if (!Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
				return Optional.empty();
			}
			return Optional.of(Files.newByteChannel(log, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
		}
		catch (NoSuchFileException absent) {
			return Optional.empty();
		}
		catch (FileSystemException link) {
			// ELOOP: replaced by a link between the look and the open.
			return Optional.empty();
		}
	}

	/** The log's size; 0 when there is none, or when it is a link or not a regular file. */
	public static long size(Path log) throws IOException {
		try {
			BasicFileAttributes attributes = Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			return attributes.isRegularFile() ? attributes.size() : 0;
		}
		catch (NoSuchFileException absent) {
			return 0;
		}
	}
}
