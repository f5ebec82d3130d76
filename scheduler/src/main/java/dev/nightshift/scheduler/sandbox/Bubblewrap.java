package dev.nightshift.scheduler.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the bubblewrap ({@code bwrap}) command lines that runs execute in. Two profiles:
 * <ul>
 * <li>{@link #wrap the sandbox}, for code from proposals: the command runs as the host's user nobody (65534)
 * with every capability dropped, no network, its own PID, IPC and UTS namespaces, the whole file system
 * read-only except the folders given as writable, a private {@code /tmp}, folders that may hold secrets
 * covered by empty ones, only the environment given, and only the GPU devices given;</li>
 * <li>{@link #contain containment}, for the experiment's own imported code: only a PID namespace of its own
 * and a session of its own, with the server's user, network and file system, so that every process the run
 * starts can still be found and killed.</li>
 * </ul>
 * <p>When the server runs as root, bwrap runs as root without a user namespace, makes its mounts (it can reach
 * a {@code NIGHTSHIFT_HOME} under a {@code 0700} home), keeps only the capabilities to change user, and runs
 * the command through {@code setpriv}, which becomes uid and gid 65534 on the host, clears the groups, the
 * bounding set and the inheritable capabilities. So files owned by root stay root's: a uid 65534 that
 * bwrap's own user namespace maps onto root would read them. A server that is not root cannot change user;
 * there the command runs in a user namespace as 65534 mapped onto the server's own, unprivileged, user.
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

	/** The sandbox's own {@code /tmp}, an empty tmpfs. */
	private static final Path PRIVATE_TMP = Path.of("/tmp");

	private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

	private final List<Path> hiddenPaths;

	private final List<Path> readOnlyPaths;

	private final boolean disableNestedUserNamespaces;

	private final boolean asRoot;

	/**
	 * Reads the installed {@code bwrap}'s version once, to know whether it can forbid nested user namespaces.
	 * @param extraHiddenPaths hidden in addition to {@link #DEFAULT_HIDDEN_PATHS}; pass the Nightshift home
	 * (database, credentials, other runs) and any folder with credentials
	 * @param readOnlyPaths shown read-only again even when inside a hidden path; pass the managed repositories,
	 * because a run's checkout refers to its repository
	 */
	public Bubblewrap(List<Path> extraHiddenPaths, List<Path> readOnlyPaths) {
		this(extraHiddenPaths, readOnlyPaths, version().map(v -> v[0] > 0 || v[1] >= 8).orElse(false),
				SandboxUser.serverIsRoot());
	}

	Bubblewrap(List<Path> extraHiddenPaths, List<Path> readOnlyPaths, boolean disableNestedUserNamespaces,
			boolean asRoot) {
		List<Path> hidden = new ArrayList<>(DEFAULT_HIDDEN_PATHS);
		extraHiddenPaths.forEach(path -> hidden.add(path.toAbsolutePath().normalize()));
		this.hiddenPaths = List.copyOf(hidden);
		this.readOnlyPaths = readOnlyPaths.stream().map(path -> path.toAbsolutePath().normalize()).toList();
		this.disableNestedUserNamespaces = disableNestedUserNamespaces;
		this.asRoot = asRoot;
	}

	/**
	 * Whether the sandbox works here, as {@link #probe()} finds it with default settings; for tests, which
	 * skip where it does not. The server probes once at start and keeps the answer.
	 */
	public static boolean available() {
		return new Bubblewrap(List.of(), List.of()).probe().sandbox();
	}

	/**
	 * Tries both profiles once with a trivial command: an installed bwrap still fails where user or PID
	 * namespaces are switched off (a sysctl, an AppArmor rule, a container's seccomp profile), and that is
	 * better found at start than at every run.
	 */
	public SandboxSupport probe() {
		Optional<int[]> version = version();
		if (version.isEmpty()) {
			return new SandboxSupport(false, false, "bubblewrap (bwrap) is not installed");
		}
		String installed = "bubblewrap " + version.get()[0] + "." + version.get()[1];
		Path runDir = null;
		try {
			runDir = Files.createTempDirectory("nightshift-sandbox-probe");
			boolean sandbox = run(wrap(List.of("/bin/sh", "-c", "test \"$(id -u)\" = " + NOBODY), runDir, List.of(),
					runDir, List.of(), Map.of("PATH", "/usr/bin:/bin"))).isPresent();
			boolean containment = run(contain(List.of("/bin/sh", "-c", ":"), runDir)).isPresent();
			return new SandboxSupport(sandbox, containment, installed + (sandbox ? "" : "; the sandbox does not start")
					+ (containment ? "" : "; containment does not start"));
		}
		catch (IOException | RuntimeException ex) {
			return new SandboxSupport(false, false, installed + "; probing failed: " + ex.getMessage());
		}
		finally {
			if (runDir != null) {
				try {
					Files.deleteIfExists(runDir);
				}
				catch (IOException ignored) {
					// A left-over empty temporary folder.
				}
			}
		}
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
	 * @param runDir the run's directory, shown read-only: the server's control files (exit status, log, pid)
	 * live in it, out of the command's reach; an absolute, existing folder
	 * @param writable the only writable folders or files (besides a private {@code /tmp}), each inside
	 * {@code runDir}; when the server is root they must belong to {@link #NOBODY} (see {@link SandboxUser})
	 * @param workDir where the command starts; inside {@code runDir}
	 * @param gpuDevicePaths device files to pass through, such as {@code /dev/nvidia0}; missing ones are left out
	 * @param environment exactly the variables the command sees (bwrap adds only {@code PWD}); give {@code PATH}
	 * and, for programs that write caches, a {@code HOME} inside a writable folder
	 */
	public List<String> wrap(List<String> command, Path runDir, List<Path> writable, Path workDir,
			List<String> gpuDevicePaths, Map<String, String> environment) {
		if (command.isEmpty()) {
			throw new IllegalArgumentException("No command to run in the sandbox");
		}
		Path run = runDir.toAbsolutePath().normalize();
		Path work = workDir.toAbsolutePath().normalize();
		if (!Files.isDirectory(run, LinkOption.NOFOLLOW_LINKS) || !work.startsWith(run)) {
			throw new IllegalArgumentException("The work directory " + work + " must lie inside the existing run directory "
					+ run);
		}
		List<Path> writablePaths = writable.stream().map(path -> path.toAbsolutePath().normalize()).toList();
		for (Path path : writablePaths) {
			if (!path.startsWith(run) || path.equals(run) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)
					|| Files.isSymbolicLink(path)) {
				throw new IllegalArgumentException("The writable path " + path + " must be an existing file or folder "
						+ "inside the run directory " + run + ", and not the run directory itself");
			}
		}
		List<String> args = new ArrayList<>(List.of(EXECUTABLE));
		if (asRoot) {
			// No user namespace: bwrap makes its mounts as root, and setpriv then drops to the host's nobody.
			args.addAll(List.of("--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add",
					"CAP_SETPCAP"));
		}
		else {
			args.addAll(List.of("--unshare-user", "--uid", "" + NOBODY, "--gid", "" + NOBODY, "--cap-drop", "ALL"));
			if (disableNestedUserNamespaces) {
				// A nested user namespace would give the command capabilities again, over its own namespaces only,
				// but each one is more kernel to attack.
				args.add("--disable-userns");
			}
		}
		args.addAll(List.of("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
				"--new-session", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs",
				"/tmp"));
		// Order matters: bwrap mounts in sequence, so the run directory and the read-only exceptions are bound
		// after the hidden folders that may contain them, and the writable paths after the run directory.
		// bwrap makes the folders leading to a mount point inside a tmpfs of its own (the private /tmp, a hidden
		// folder) 0700, which nobody cannot enter: a home under /tmp would leave every absolute path of the run
		// contract unreachable. Such folders are made 0755 first, each after the tmpfs it lies in (so outer
		// hidden folders go first); they are empty, so nothing shows through them.
		List<Path> tmpfsRoots = new ArrayList<>(List.of(PRIVATE_TMP));
		Set<Path> made = new LinkedHashSet<>();
		hiddenPaths.stream()
			.filter(path -> !path.equals(run) && !path.startsWith(run))
			.sorted((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()))
			.forEach(path -> {
				makeLeadingFolders(args, path, tmpfsRoots, made);
				if (hide(args, path)) {
					tmpfsRoots.add(path);
				}
			});
		List<Path> visible = new ArrayList<>(readOnlyPaths.stream().filter(Files::exists).toList());
		visible.add(run);
		visible.forEach(path -> makeLeadingFolders(args, path, tmpfsRoots, made));
		for (Path path : visible) {
			args.addAll(List.of("--ro-bind", path.toString(), path.toString()));
		}
		for (Path path : writablePaths) {
			args.addAll(List.of("--bind", path.toString(), path.toString()));
		}
		for (String device : gpuDevicePaths) {
			if (Files.exists(Path.of(device))) {
				args.addAll(List.of("--dev-bind", device, device));
			}
		}
		args.addAll(List.of("--chdir", work.toString(), "--clearenv"));
		new TreeMap<>(environment).forEach((name, value) -> args.addAll(List.of("--setenv", name, value)));
		args.add("--");
		if (asRoot) {
			args.addAll(List.of(SandboxUser.setpriv().toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
					"--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"));
		}
		args.addAll(command);
		return List.copyOf(args);
	}

	/**
	 * The command line that contains a trusted run without sandboxing it: a PID namespace of its own (killing
	 * bwrap's init there kills every process in it, including one that called {@code setsid} and cleared its
	 * environment) and a session of its own, dying with the wrapper that started it. The command keeps the
	 * server's user, the network, the whole file system and devices, and the environment bwrap was started
	 * with.
	 */
	public List<String> contain(List<String> command, Path workDir) {
		if (command.isEmpty()) {
			throw new IllegalArgumentException("No command to contain");
		}
		List<String> args = new ArrayList<>(List.of(EXECUTABLE));
		if (!asRoot) {
			// Without privileges bwrap needs a user namespace to make the others; it maps the server's own user.
			args.add("--unshare-user");
		}
		args.addAll(List.of("--unshare-pid", "--die-with-parent", "--new-session", "--dev-bind", "/", "/", "--proc",
				"/proc", "--chdir", workDir.toAbsolutePath().normalize().toString(), "--"));
		args.addAll(command);
		return List.copyOf(args);
	}

	/**
	 * Makes 0755 the folders between the deepest of {@code roots} that contains {@code path} and {@code path}
	 * itself, outermost first, unless made already; nothing when no root contains it.
	 */
	private static void makeLeadingFolders(List<String> args, Path path, List<Path> roots, Set<Path> made) {
		roots.stream()
			.filter(root -> path.startsWith(root) && !path.equals(root))
			.max((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()))
			.ifPresent(root -> {
				for (Path folder = root.resolve(path.getName(root.getNameCount())); !folder.equals(path);
						folder = folder.resolve(path.getName(folder.getNameCount()))) {
					if (made.add(folder)) {
						args.addAll(List.of("--perms", "0755", "--dir", folder.toString()));
					}
				}
			});
	}

	/**
	 * An empty tmpfs over a folder; {@code /dev/null} over a single file; nothing for what does not exist.
	 * @return whether it made a tmpfs
	 */
	private static boolean hide(List<String> args, Path hidden) {
		if (Files.isDirectory(hidden, LinkOption.NOFOLLOW_LINKS)) {
			args.addAll(List.of("--tmpfs", hidden.toString()));
			return true;
		}
		if (Files.exists(hidden, LinkOption.NOFOLLOW_LINKS)) {
			args.addAll(List.of("--ro-bind", "/dev/null", hidden.toString()));
		}
		return false;
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
