package dev.nightshift.scheduler.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.nightshift.scheduler.sandbox.SandboxUser;

/**
 * The folders of a run's directory. The directory itself belongs to the server and only it may write there
 * ({@code rwxr-xr-x}): the wrapper's and the server's control files ({@code launch.*}, {@code pid},
 * {@code exit}, {@code stop}, {@code run.log}) and {@code params.json} live in it. What the command may
 * write are the entries below, each handed to the sandbox's user for a sandboxed run: the checkout
 * ({@code work}), {@code out}, {@code home} and the metrics file. A sandboxed command cannot rename, replace
 * or add an entry of the run directory, so no name the server reads there can become a link it planted.
 */
final class RunFolders {

	private final Path runDir;

	private RunFolders(Path runDir) {
		this.runDir = runDir;
	}

	/** Creates the run directory, owned by the server and writable by it alone, with its out and home folders. */
	static RunFolders create(Path runDir) throws IOException {
		Files.createDirectories(runDir);
		if (!Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException(runDir + " is not a folder");
		}
		Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.createDirectories(runDir.resolve(RunContract.OUT_DIR));
		Files.createDirectories(runDir.resolve(RunContract.HOME_DIR));
		return new RunFolders(runDir);
	}

	/**
	 * Creates the (empty) metrics file, since the sandbox binds existing paths only, and hands the checkout,
	 * {@code out}, {@code home} and the metrics file over to the sandbox's user.
	 * @return those paths: the only ones the sandbox may write
	 */
	List<Path> handOverToSandbox(Path workDir) throws IOException {
		Path metrics = runDir.resolve(RunContract.METRICS_FILE);
		if (!Files.exists(metrics, LinkOption.NOFOLLOW_LINKS)) {
			Files.createFile(metrics);
		}
		if (!Files.isRegularFile(metrics, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException(metrics + " is not a regular file");
		}
		// The repository behind the checkout belongs to the server; git in the sandbox refuses it unless told.
		Path gitConfig = runDir.resolve(RunContract.HOME_DIR).resolve(".gitconfig");
		if (!Files.exists(gitConfig, LinkOption.NOFOLLOW_LINKS)) {
			Files.writeString(gitConfig, "[safe]\n\tdirectory = *\n");
		}
		List<Path> writable = List.of(workDir, runDir.resolve(RunContract.OUT_DIR), runDir.resolve(RunContract.HOME_DIR),
				metrics);
		SandboxUser.handOver(writable.toArray(Path[]::new));
		return writable;
	}
}
