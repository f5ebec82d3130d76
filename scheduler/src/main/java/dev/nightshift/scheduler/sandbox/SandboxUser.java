package dev.nightshift.scheduler.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The host user a sandboxed command runs as, {@link Bubblewrap#NOBODY}, and the folders it may write: the
 * server hands them over before the run starts, and keeps everything else, the run's control files included.
 */
public final class SandboxUser {

	private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

	private SandboxUser() {
	}

	/** Whether the server runs as root, and so can (and must) drop the sandboxed command to another user. */
	public static boolean serverIsRoot() {
		try {
			return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	/** util-linux's {@code setpriv}, which changes the user between bwrap and the command. */
	static Path setpriv() {
		if (Files.isExecutable(SETPRIV)) {
			return SETPRIV;
		}
		Path alternative = Path.of("/bin/setpriv");
		if (Files.isExecutable(alternative)) {
			return alternative;
		}
		throw new IllegalStateException("setpriv (util-linux) is not installed; the sandbox needs it to change user");
	}

	/**
	 * Gives {@code paths}, and everything in the folders among them, to {@link Bubblewrap#NOBODY}, so that the
	 * sandboxed command can write there and nowhere else. Links are changed themselves, never followed. Does
	 * nothing when the server is not root: its sandboxed commands then run as its own user.
	 */
	public static void handOver(Path... paths) {
		if (!serverIsRoot()) {
			return;
		}
		for (Path path : paths) {
			try {
				Files.walkFileTree(path, new SimpleFileVisitor<>() {

					@Override
					public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
						chown(dir);
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
						chown(file);
						return FileVisitResult.CONTINUE;
					}
				});
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot hand " + path + " over to the sandbox's user", ex);
			}
		}
	}

	private static void chown(Path path) throws IOException {
		Files.setAttribute(path, "unix:gid", Bubblewrap.NOBODY, LinkOption.NOFOLLOW_LINKS);
		Files.setAttribute(path, "unix:uid", Bubblewrap.NOBODY, LinkOption.NOFOLLOW_LINKS);
	}
}
