package dev.nightshift.scheduler.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether a run directory lies on a file system the Slurm nodes see: the job's wrapper writes the log and the exit
 * status there, and the server reads them from here. With configured shared roots the directory must be under one
 * of them; without, a directory that certainly is private to this machine (a memory file system, {@code /dev/shm},
 * {@code /run}) is refused.
 */
final class SharedRoots {

	private static final List<String> PRIVATE_TYPES = List.of("tmpfs", "ramfs", "devtmpfs");
	private static final List<Path> PRIVATE_PATHS = List.of(Path.of("/dev/shm"), Path.of("/run"), Path.of("/proc"));

	private final List<Path> roots;

	SharedRoots(List<Path> roots) {
		this.roots = List.copyOf(roots);
	}

	/**
	 * @throws SlurmException naming the path and what is wrong with it
	 */
	void check(Path runDir) {
		Path dir = runDir.toAbsolutePath().normalize();
		Path real;
		try {
			real = dir.toRealPath();
		}
		catch (IOException ex) {
			throw new SlurmException("the run directory " + dir + " cannot be resolved: " + ex.getMessage(), ex);
		}
		if (!roots.isEmpty()) {
			if (roots.stream().noneMatch(root -> real.startsWith(root) || dir.startsWith(root))) {
				throw new SlurmException("the run directory " + real + " is not under any of nightshift.slurm.shared-roots "
						+ roots + ", so the Slurm nodes would not see it; put nightshift.home on the shared file system");
			}
			return;
		}
		if (PRIVATE_PATHS.stream().anyMatch(real::startsWith)) {
			throw new SlurmException("the run directory " + real + " is under a path private to this machine, which"
					+ " no Slurm node sees; put nightshift.home on a file system the nodes share");
		}
		String type;
		try {
			type = Files.getFileStore(real).type().toLowerCase(Locale.ROOT);
		}
		catch (IOException ex) {
			throw new SlurmException("the file system of the run directory " + real + " cannot be read: "
					+ ex.getMessage(), ex);
		}
		if (PRIVATE_TYPES.contains(type)) {
			throw new SlurmException("the run directory " + real + " is on a " + type + " file system in this machine's"
					+ " memory, which no Slurm node sees; put nightshift.home on a file system the nodes share");
		}
	}
}
