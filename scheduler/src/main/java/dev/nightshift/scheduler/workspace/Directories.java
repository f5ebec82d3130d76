package dev.nightshift.scheduler.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Copying a source folder into a new repository and deleting a checkout, without following symbolic links. */
final class Directories {

	private Directories() {
	}

	/**
	 * Copies {@code source} into {@code target}, leaving out what never belongs in an experiment's code:
	 * {@code .git} folders (a nested repository would become an empty gitlink), {@code __pycache__} and
	 * {@code *.pyc}. Symbolic links are copied as links, and the executable bit is kept.
	 */
	static void copyCode(Path source, Path target) {
		try {
			Files.walkFileTree(source, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
					String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
					if (!dir.equals(source) && (name.equals(".git") || name.equals("__pycache__"))) {
						return FileVisitResult.SKIP_SUBTREE;
					}
					Files.createDirectories(target.resolve(source.relativize(dir).toString()));
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					String name = file.getFileName().toString();
					if (!name.endsWith(".pyc") && !name.equals(".git")) {
						Files.copy(file, target.resolve(source.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS,
								StandardCopyOption.COPY_ATTRIBUTES);
					}
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot copy " + source + " to " + target, ex);
		}
	}

	/**
	 * Deletes {@code dir} and everything in it. A link a run left behind is removed as a link, never followed,
	 * so a training script that links to {@code /} cannot make this delete anything outside.
	 */
	static void delete(Path dir) {
		if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try {
			Files.walkFileTree(dir, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attributes) throws IOException {
					// A run may have made a folder read-only; its entries can only be deleted once it is writable.
					path.toFile().setWritable(true, true);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.delete(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path path, IOException failure) throws IOException {
					if (failure != null) {
						throw failure;
					}
					Files.delete(path);
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete " + dir, ex);
		}
	}
}
