package dev.nightshift.scheduler.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.nightshift.scheduler.process.RunDirectory.Launch;

/**
 * Starts training processes so that they outlive the server, and re-attaches to them after a restart. The process
 * runs under a wrapper script in the run directory (see {@link RunDirectory} for its files); the server holds no pipe
 * to it and learns everything from those files, so a server killed with SIGKILL leaves a run that is still running, or
 * one whose log and exit status are complete.
 */
public final class RunSupervisor {

	private static final Logger log = LoggerFactory.getLogger(RunSupervisor.class);
	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path setsid = LaunchScript.locate("setsid");
	private final Path shell = LaunchScript.locate("sh");
	private final Path move = LaunchScript.locate("mv");

	/**
	 * Launches {@code spec} and supervises it.
	 *
	 * @throws IllegalStateException when the run directory was used before
	 * @throws IOException           when the run directory cannot be written or the wrapper cannot be started
	 */
	public SupervisedRun start(LaunchSpec spec, RunListener listener) throws IOException {
		RunDirectory dir = new RunDirectory(spec.runDir());
		Files.createDirectories(dir.path());
		if (dir.used()) {
			throw new IllegalStateException("run directory " + dir.path() + " was used before");
		}
		byte[] random = new byte[16];
		RANDOM.nextBytes(random);
		String cookie = HexFormat.of().formatHex(random);
		Launch launch = new Launch(Instant.now(), spec.budget(), spec.grace(), spec.objectiveMetric(),
				spec.metricsFile(), cookie);
		dir.writeLaunch(launch);
		Path script = dir.file(RunDirectory.SCRIPT);
		Files.writeString(script, LaunchScript.render(dir, spec.command(), cookie, move));

		ProcessBuilder builder = new ProcessBuilder(setsid.toString(), shell.toString(), script.toString())
			.directory(spec.workDir().toFile())
			.redirectInput(new File("/dev/null"))
			.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.file(RunDirectory.LOG).toFile()))
			.redirectError(ProcessBuilder.Redirect.appendTo(dir.file(RunDirectory.LOG).toFile()));
		builder.environment().clear();
		builder.environment().putAll(spec.environment());
		// setsid execs in place (the JVM's child is never a group leader), so this is the wrapper's pid.
		long pid = builder.start().pid();
		log.info("Started run in {} as pid {}", dir.path(), pid);
		SupervisedRun run = new SupervisedRun(dir, launch, pid, true, listener, TailPosition.START);
		run.supervise();
		return run;
	}

	/** As {@link #attach(Path, RunListener, TailPosition)}, delivering every metric point from the start. */
	public Optional<SupervisedRun> attach(Path runDir, RunListener listener) throws IOException {
		return attach(runDir, listener, TailPosition.START);
	}

	/**
	 * Takes up supervision of a run launched earlier, typically by a server that has since died. If the run has
	 * ended, the returned run completes at once with the result read from its files; if it still runs, supervision
	 * goes on, with the budget counted from the original start. The log and the metrics file are read from the
	 * start, so the objective is right, but only points after {@code resumeFrom} go to the listener.
	 *
	 * @return empty when nobody can tell what happened: never launched, or gone without recording an exit status;
	 *         such a run is LOST
	 */
	public Optional<SupervisedRun> attach(Path runDir, RunListener listener, TailPosition resumeFrom)
			throws IOException {
		RunDirectory dir = new RunDirectory(runDir);
		Optional<Launch> launch = dir.readLaunch();
		OptionalLong pid = dir.pid();
		if (launch.isEmpty() || pid.isEmpty()) {
			return Optional.empty();
		}
		// Checked before the exit file, as in SupervisedRun, so that a wrapper ending right now is not taken for lost.
		boolean live = isWrapper(pid.getAsLong(), dir);
		if (!live && dir.exitStatus().isEmpty()) {
			return Optional.empty();
		}
		SupervisedRun run = new SupervisedRun(dir, launch.get(), pid.getAsLong(), live, listener, resumeFrom);
		run.supervise();
		return Optional.of(run);
	}

	/** Whether the pid still belongs to this run's wrapper, and not to a process that reused the number. */
	private static boolean isWrapper(long pid, RunDirectory dir) {
		List<String> arguments = ProcFs.arguments(pid);
		if (!ProcFs.isRunning(pid) || arguments.isEmpty()) {
			return false;
		}
		try {
			return Files.isSameFile(Path.of(arguments.get(arguments.size() - 1)), dir.file(RunDirectory.SCRIPT));
		} catch (IOException | InvalidPathException notTheScript) {
			return false;
		}
	}
}
