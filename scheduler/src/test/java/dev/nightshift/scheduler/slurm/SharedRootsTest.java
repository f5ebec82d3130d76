package dev.nightshift.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory the Slurm nodes cannot see is refused before anything is submitted, naming the path. */
class SharedRootsTest {

	@TempDir
	Path dir;

	@Test
	void aRunDirectoryOutsideTheConfiguredSharedRootsIsRefusedByPath() throws Exception {
		Path shared = Files.createDirectories(dir.resolve("shared"));
		Path inside = Files.createDirectories(shared.resolve("runs/7"));
		Path outside = Files.createDirectories(dir.resolve("local/runs/8"));
		SharedRoots roots = new SharedRoots(List.of(shared));

		assertThatCode(() -> roots.check(inside)).doesNotThrowAnyException();
		assertThatThrownBy(() -> roots.check(outside)).isInstanceOf(SlurmException.class)
			.hasMessageContaining(outside.toRealPath().toString())
			.hasMessageContaining("nightshift.slurm.shared-roots");
	}

	@Test
	void withoutSharedRootsADirectoryInThisMachinesMemoryIsRefused() throws Exception {
		Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "nightshift-run");
		try {
			assertThatThrownBy(() -> new SharedRoots(List.of()).check(shm)).isInstanceOf(SlurmException.class)
				.hasMessageContaining(shm.toString());
			assertThatCode(() -> new SharedRoots(List.of()).check(dir)).doesNotThrowAnyException();
		}
		finally {
			Files.delete(shm);
		}
	}
}
