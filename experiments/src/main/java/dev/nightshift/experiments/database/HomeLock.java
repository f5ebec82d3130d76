package dev.nightshift.experiments.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive operating-system lock on {@code NIGHTSHIFT_HOME/nightshift.lock}, held for the life of the
 * server. The kernel releases it when the process dies, even by {@code kill -9}, so a stale lock never
 * blocks a restart, and a second server on the same home is refused before it touches any data.
 */
public final class HomeLock implements AutoCloseable {

	private static final String FILE_NAME = "nightshift.lock";

	private final FileChannel channel;
	private final FileLock lock;

	private HomeLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Takes the lock or fails at once.
	 * @throws HomeInUseException when another process (or this one) already holds it
	 */
	public static HomeLock acquire(Path home) {
		try {
			Files.createDirectories(home);
			Path file = home.resolve(FILE_NAME);
			FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock lock;
			try {
				lock = channel.tryLock();
			}
			catch (OverlappingFileLockException alreadyHeldHere) {
				lock = null;
			}
			if (lock == null) {
				String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
				channel.close();
				throw new HomeInUseException(home, holder.isEmpty() ? "holder unknown" : holder);
			}
			String holder = "pid " + ProcessHandle.current().pid() + ", since " + Instant.now();
			channel.truncate(0);
			channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
			channel.force(true);
			return new HomeLock(channel, lock);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot lock NIGHTSHIFT_HOME=" + home, ex);
		}
	}

	@Override
	public void close() {
		try {
			lock.release();
			channel.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
