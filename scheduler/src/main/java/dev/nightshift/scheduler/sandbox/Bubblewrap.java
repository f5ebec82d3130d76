package dev.nightshift.scheduler.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the bubblewrap ({@code bwrap}) command line that runs a proposal's code in a sandbox: user nobody
 * (65534) with every capability dropped, no network, its own PID, IPC and UTS namespaces, the whole file
 * system read-only except the run's directory, a private {@code /tmp}, folders that may hold secrets covered
 * by empty ones, only the environment given, and only the GPU devices given.
 * <p>{@code --die-with-parent} kills the sandbox when the process that started {@code bwrap} dies. The
 * executor starts it from a small {@code sh} wrapper that writes the exit file and outlives a server crash,
 * so the sandbox dies with that wrapper, not with the server. And because the command runs inside its own
 * PID namespace, killing the sandbox kills every process the command started, even one that called
 * {@code setsid}.
 */
public final class Bubblewrap {

	/** The unprivileged user and group the command runs as: {@code nobody}/{@code nogroup}. */
	public static final int NOBODY = 65534;

	/** Hidden on every run: users' homes, where API keys, SSH keys and cloud credentials live. */
	public static final List<Path> DEFAULT_HIDDEN_PATHS = List.of(Path.of("/root"), Path.of("/home"));

	private static final String EXECUTABLE = "bwrap";

	private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

	private final List<Path> hiddenPaths;

	private final List<Path> readOnlyPaths;

	private final boolean disableNestedUserNamespaces;

	/**
	 * Reads the installed {@code bwrap}'s version once, to know whether it can forbid nested user namespaces.
	 * @param extraHiddenPaths hidden in addition to {@link #DEFAULT_HIDDEN_PATHS}; pass the embedded database's
	 * directory and any folder with credentials
	 * @param readOnlyPaths shown read-only again even when inside a hidden path; pass the managed repositories
	 * when {@code NIGHTSHIFT_HOME} lies under {@code /root}, because a run's checkout refers to its repository
	 */
	public Bubblewrap(List<Path> extraHiddenPaths, List<Path> readOnlyPaths) {
		this(extraHiddenPaths, readOnlyPaths, version().map(v -> v[0] > 0 || v[1] >= 8).orElse(false));
	}

	Bubblewrap(List<Path> extraHiddenPaths, List<Path> readOnlyPaths, boolean disableNestedUserNamespaces) {
		List<Path> hidden = new ArrayList<>(DEFAULT_HIDDEN_PATHS);
		extraHiddenPaths.forEach(path -> hidden.add(path.toAbsolutePath().normalize()));
		this.hiddenPaths = List.copyOf(hidden);
		this.readOnlyPaths = readOnlyPaths.stream().map(path -> path.toAbsolutePath().normalize()).toList();
		this.disableNestedUserNamespaces = disableNestedUserNamespaces;
	}

	/**
	 * Whether {@code bwrap --version} runs here and bwrap can really create the sandbox's namespaces: an
	 * installed bwrap still fails where user namespaces are switched off (a sysctl, an AppArmor rule, a
	 * container's seccomp profile), and that is better found at start than at every run.
	 */
	public static boolean available() {
		return version().isPresent()
				&& run(List.of(EXECUTABLE, "--unshare-user", "--uid", "" + NOBODY, "--gid", "" + NOBODY, "--cap-drop",
						"ALL", "--unshare-net", "--unshare-pid", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
						"--", "/bin/sh", "-c", ":"))
					.isPresent();
	}

	/** {major, minor} of the installed bubblewrap, or empty when there is none. */
	static Optional<int[]> version() {
		return run(List.of(EXECUTABLE, "--version")).map(VERSION::matcher)
			.filter(Matcher::find)
			.map(matcher -> new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))});
	}

	/** What a short command printed, or empty when it cannot start, fails or hangs. */
	private static Optional<String> run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			// Wait before reading: a few lines fit in the pipe, and a hung bwrap must not hang the server's start.
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return Optional.empty();
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
		}
		catch (IOException notInstalled) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	/**
	 * The command line that runs {@code command} in the sandbox.
	 * @param runDir the only writable folder (besides a private {@code /tmp}); an absolute, existing folder
	 * @param workDir where the command starts; inside {@code runDir}
	 * @param gpuDevicePaths device files to pass through, such as {@code /dev/nvidia0}; missing ones are left out
	 * @param environment exactly the variables the command sees (bwrap adds only {@code PWD}); give {@code PATH}
	 * and, for programs that write caches, a {@code HOME} inside {@code runDir}
	 */
	public List<String> wrap(List<String> command, Path runDir, Path workDir, List<String> gpuDevicePaths,
			Map<String, String> environment) {
		if (command.isEmpty()) {
			throw new IllegalArgumentException("No command to run in the sandbox");
		}
		Path run = runDir.toAbsolutePath().normalize();
		Path work = workDir.toAbsolutePath().normalize();
		if (!Files.isDirectory(run) || !work.startsWith(run)) {
			throw new IllegalArgumentException("The work directory " + work + " must lie inside the existing run directory "
					+ run + ", the only writable place in the sandbox");
		}
		List<String> args = new ArrayList<>(List.of(EXECUTABLE, "--unshare-user", "--uid", "" + NOBODY, "--gid",
				"" + NOBODY, "--cap-drop", "ALL", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"));
		if (disableNestedUserNamespaces) {
			// A nested user namespace would give the command capabilities again, over its own namespaces only,
			// but each one is more kernel to attack.
			args.add("--disable-userns");
		}
		args.addAll(List.of("--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--dev", "/dev", "--proc",
				"/proc", "--tmpfs", "/tmp"));
		// Order matters: bwrap mounts in sequence, so the run directory and the read-only exceptions are bound
		// after the hidden folders that may contain them.
		for (Path hidden : hiddenPaths) {
			if (!hidden.equals(run) && !hidden.startsWith(run)) {
				hide(args, hidden);
			}
		}
		for (Path visible : readOnlyPaths) {
			if (Files.exists(visible)) {
				args.addAll(List.of("--ro-bind", visible.toString(), visible.toString()));
			}
		}
		args.addAll(List.of("--bind", run.toString(), run.toString()));
		for (String device : gpuDevicePaths) {
			if (Files.exists(Path.of(device))) {
				args.addAll(List.of("--dev-bind", device, device));
			}
		}
		args.addAll(List.of("--chdir", work.toString(), "--clearenv"));
		new TreeMap<>(environment).forEach((name, value) -> args.addAll(List.of("--setenv", name, value)));
		args.add("--");
		args.addAll(command);
		return List.copyOf(args);
	}

	/** An empty tmpfs over a folder; {@code /dev/null} over a single file; nothing for what does not exist. */
	private static void hide(List<String> args, Path hidden) {
		if (Files.isDirectory(hidden, LinkOption.NOFOLLOW_LINKS)) {
			args.addAll(List.of("--tmpfs", hidden.toString()));
		}
		else if (Files.exists(hidden, LinkOption.NOFOLLOW_LINKS)) {
			args.addAll(List.of("--ro-bind", "/dev/null", hidden.toString()));
		}
	}

	/**
	 * The NVIDIA device files a run on the given GPUs needs: {@code /dev/nvidia<index>} for each, plus the
	 * shared control and unified-memory devices, those that exist on this machine.
	 */
	public static List<String> nvidiaDevicePaths(List<Integer> gpuIndexes) {
		List<String> paths = new ArrayList<>();
		gpuIndexes.forEach(index -> paths.add("/dev/nvidia" + index));
		paths.addAll(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset"));
		try {
			if (Files.isDirectory(Path.of("/dev/nvidia-caps"))) {
				try (var caps = Files.list(Path.of("/dev/nvidia-caps"))) {
					caps.forEach(cap -> paths.add(cap.toString()));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return paths.stream().filter(path -> Files.exists(Path.of(path))).toList();
	}
}
