package dev.nightshift.scheduler.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The experiments' code in git: one managed repository per experiment under {@code repositoriesDir/<id>},
 * one worktree per run under {@code runsDir/<runId>/work} on its own branch {@code nightshift/run-<runId>},
 * and {@code nightshift/best} at the best run's commit. Every run's commit stays in the repository after its
 * checkout is removed, so every idea tried can be checked out again.
 */
public final class Workspaces {

	/** The branch that marks the experiment's best code; set to the imported commit at import. */
	public static final String BEST_BRANCH = "nightshift/best";

	/**
	 * The commit the experiment's code was imported at, recorded at import and never moved: it and its history
	 * are the only code no proposal wrote.
	 */
	static final String IMPORTED_REF = "refs/nightshift/imported";

	private static final String RUN_BRANCH_PREFIX = "nightshift/run-";
	private static final Pattern FULL_COMMIT_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

	private final Path repositoriesDir;

	private final Path runsDir;

	private final Git git;

	/** One lock per repository: git's own locks would make a concurrent worktree add fail, not wait. */
	private final Map<Path, Object> locks = new ConcurrentHashMap<>();

	/** How long one git command may take unless told otherwise. */
	public static final Duration DEFAULT_GIT_TIMEOUT = Duration.ofMinutes(2);

	public Workspaces(Path repositoriesDir, Path runsDir) {
		this(repositoriesDir, runsDir, DEFAULT_GIT_TIMEOUT);
	}

	/** @param gitTimeout how long one git command may take before it is killed and reported */
	public Workspaces(Path repositoriesDir, Path runsDir, Duration gitTimeout) {
		this.repositoriesDir = repositoriesDir.toAbsolutePath().normalize();
		this.runsDir = runsDir.toAbsolutePath().normalize();
		createDirectories(this.repositoriesDir);
		createDirectories(this.runsDir);
		this.git = new Git(this.repositoriesDir, gitTimeout);
	}

	/**
	 * Creates the experiment's managed repository once and returns it; later calls return it unchanged and
	 * ignore {@code source}. A git repository (a folder with {@code .git}, or a bare one) is cloned with its
	 * history and HEAD commit; a plain folder is copied without {@code .git}, {@code __pycache__} and
	 * {@code *.pyc} into an initial commit "Import &lt;source&gt;"; {@code null} gives an empty initial commit.
	 * The import happens in a scratch folder renamed into place, so a crash never leaves half a repository.
	 */
	public Path importSource(long experimentId, Path source) {
		Path repo = repository(experimentId);
		// The import is renamed into place whole, so a repository that is there is complete: no need to wait for
		// the lock, which a run's checkout being made ahead of its claim may hold.
		if (Files.isDirectory(repo.resolve(".git"))) {
			return repo;
		}
		synchronized (lock(repo)) {
			if (Files.isDirectory(repo.resolve(".git"))) {
				return repo;
			}
			Path scratch = repositoriesDir.resolve(".import-" + experimentId + "-" + UUID.randomUUID());
			try {
				fill(scratch, source == null ? null : source.toAbsolutePath().normalize());
				git.check(scratch, "update-ref", "refs/heads/" + BEST_BRANCH, "HEAD");
				git.check(scratch, "update-ref", IMPORTED_REF, "HEAD");
				Files.move(scratch, repo, StandardCopyOption.ATOMIC_MOVE);
				return repo;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot import " + source + " into " + repo, ex);
			}
			finally {
				Directories.delete(scratch);
			}
		}
	}

	private void fill(Path scratch, Path source) throws IOException {
		if (source != null && !Files.isDirectory(source)) {
			throw new WorkspaceException("Source " + source + " is not a folder");
		}
		if (source != null && isGitRepository(source)) {
			git.check(repositoriesDir, "clone", "--quiet", "--no-hardlinks", "--", source.toString(), scratch.toString());
			if (!git.run(scratch, Map.of(), null, "rev-parse", "--verify", "--quiet", "HEAD").ok()) {
				// A repository without commits yet: give it one, so every experiment has a base commit.
				git.check(scratch, "commit", "--quiet", "--allow-empty", "-m", "Import " + source);
			}
			return;
		}
		Files.createDirectories(scratch);
		git.check(scratch, "init", "--quiet");
		if (source != null) {
			Directories.copyCode(source.toRealPath(), scratch);
			git.check(scratch, "add", "--all");
		}
		git.check(scratch, "commit", "--quiet", "--allow-empty", "--no-verify", "-m",
				source == null ? "Empty experiment" : "Import " + source);
	}

	/** A folder with {@code .git} at its top, or a bare repository; a folder merely inside a repository is not. */
	private static boolean isGitRepository(Path source) {
		return Files.exists(source.resolve(".git")) || (Files.isRegularFile(source.resolve("HEAD"))
				&& Files.isDirectory(source.resolve("objects")) && Files.isDirectory(source.resolve("refs")));
	}

	/** The full id of the commit the experiment was imported at, the base of its first runs. */
	public String headCommit(long experimentId) {
		return git.check(existingRepository(experimentId), "rev-parse", "--verify", "HEAD^{commit}").line();
	}

	/**
	 * The unified diff from one commit of the experiment's repository to another (what the compare page shows),
	 * or empty when the experiment has no repository or a commit id is malformed. Read-only: nothing is locked.
	 * @throws WorkspaceException with git's own words when git cannot diff them (an unknown commit, a time-out)
	 */
	public java.util.Optional<String> diff(long experimentId, String from, String to) {
		Path repo = repository(experimentId);
		if (!Files.isDirectory(repo.resolve(".git")) || !from.matches("[0-9a-f]{4,64}") || !to.matches("[0-9a-f]{4,64}")) {
			return java.util.Optional.empty();
		}
		return java.util.Optional.of(git.check(repo, "diff", "--no-color", "--no-ext-diff", from, to, "--").text());
	}

	/**
	 * Whether {@code commit} is the imported commit or one of its history, that is, holds only code that was
	 * imported and none a proposal wrote. Every commit a patch makes is new, so a kept patch, and every run
	 * on it, is never imported code. A repository imported before the ref was recorded falls back to its
	 * {@code HEAD}, which the server never moves (runs work in worktrees of their own).
	 * @param commit any commit-ish of the managed repository; an unknown one is not imported
	 */
	public boolean isImported(long experimentId, String commit) {
		Path repo = existingRepository(experimentId);
		Git.Result imported = git.run(repo, Map.of(), null, "rev-parse", "--verify", "--quiet", IMPORTED_REF + "^{commit}");
		String tip = imported.ok() ? imported.line() : headCommit(experimentId);
		Git.Result resolved = git.run(repo, Map.of(), null, "rev-parse", "--verify", "--quiet", commit + "^{commit}");
		return resolved.ok()
				&& git.run(repo, Map.of(), null, "merge-base", "--is-ancestor", resolved.line(), tip).ok();
	}

	/**
	 * Checks out {@code baseCommit} plus {@code patch} at {@code runsDir/<runId>/work} on the new branch
	 * {@code nightshift/run-<runId>}. With a patch the checkout holds a new commit "Run &lt;runId&gt;" whose
	 * parent is the base; without one it holds the base commit itself, so runs that differ only in parameters
	 * share a commit. The patch is applied before anything is created, so a rejected patch leaves no checkout
	 * and no branch.
	 * <p>Calling it again for the same run (crash recovery) returns the existing checkout, or checks the run's
	 * branch out again if the folder is gone, provided the branch holds exactly base plus this patch; a branch
	 * with other content fails with a {@link WorkspaceException}. An existing checkout is not reset.
	 * @param baseCommit any commit-ish of the managed repository; {@code null} means {@link #headCommit}
	 * @param patch a unified diff or SEARCH/REPLACE blocks, or {@code null} for none
	 * @throws PatchRejectedException when the patch does not apply to the base
	 */
	public RunWorkspace prepareRun(long experimentId, long runId, String baseCommit, String patch) {
		Path repo = existingRepository(experimentId);
		Path dir = runsDir.resolve(Long.toString(runId)).resolve("work");
		String branch = RUN_BRANCH_PREFIX + runId;
		synchronized (lock(repo)) {
			// The usual case, a run of parameters only, prepared for the first time on a commit named in full:
			// branch and checkout in one git process, which fails without side effects when the branch exists
			// already or the commit does not; the careful path below then finds out which.
			boolean fullId = baseCommit != null && FULL_COMMIT_ID.matcher(baseCommit).matches();
			if (patch == null && fullId && freshCheckout(repo, dir, branch, baseCommit)) {
				return new RunWorkspace(dir, baseCommit, branch);
			}
			String base = resolveCommit(repo, baseCommit == null ? "HEAD" : baseCommit);
			String commit = patch == null ? base
					: git.check(repo, "commit-tree", new PatchedTree(git, repo).apply(base, patch), "-p", base, "-m",
							"Run " + runId).line();
			if (patch != null && freshCheckout(repo, dir, branch, commit)) {
				return new RunWorkspace(dir, commit, branch);
			}
			String existing = branchCommit(repo, branch);
			if (existing != null) {
				requireSameContent(repo, branch, existing, base, patch);
				return checkOut(repo, dir, branch, existing);
			}
			git.check(repo, "update-ref", "refs/heads/" + branch, commit, "");
			return checkOut(repo, dir, branch, commit);
		}
	}

	/**
	 * Creates {@code branch} at {@code commit} and checks it out at {@code dir} in one git process; false, with
	 * nothing created, when the folder exists, the branch exists or the commit does not.
	 */
	private boolean freshCheckout(Path repo, Path dir, String branch, String commit) {
		if (Files.exists(dir)) {
			return false;
		}
		createDirectories(dir.getParent());
		return git.run(repo, Map.of(), null, "worktree", "add", "--quiet", "-b", branch, dir.toString(), commit).ok();
	}

	private void requireSameContent(Path repo, String branch, String existing, String base, String patch) {
		boolean same;
		if (patch == null) {
			same = existing.equals(base);
		}
		else {
			String parent = git.run(repo, Map.of(), null, "rev-parse", "--verify", "--quiet", existing + "^1").line();
			String tree = git.check(repo, "rev-parse", existing + "^{tree}").line();
			same = parent.equals(base) && tree.equals(new PatchedTree(git, repo).apply(base, patch));
		}
		if (!same) {
			throw new WorkspaceException("Branch " + branch + " already exists at " + existing
					+ ", which is not base " + base + (patch == null ? "" : " plus this patch"));
		}
	}

	/** The worktree at {@code dir} on {@code branch}, created if missing, or a clear failure if it moved on. */
	private RunWorkspace checkOut(Path repo, Path dir, String branch, String commit) {
		// A checkout handed to the sandbox's user is the run's to change: git must not read its configuration.
		if (Files.exists(dir.resolve(".git")) && ownedByServer(dir)) {
			String head = git.run(dir, Map.of(), null, "rev-parse", "--verify", "--quiet", "HEAD").line();
			if (head.equals(commit)) {
				return new RunWorkspace(dir, commit, branch);
			}
			if (!head.isEmpty()) {
				throw new WorkspaceException("The checkout " + dir + " is at " + head + ", not at " + branch + " ("
						+ commit + "); remove the run's checkout first");
			}
		}
		// Missing, or left broken by a crash in the middle of a worktree add: it holds nothing of value.
		boolean leftover = Files.exists(dir);
		Directories.delete(dir);
		createDirectories(dir.getParent());
		// A worktree entry whose folder is gone makes "worktree add" refuse the path; pruning first costs a git
		// process on every run, so it is done only when a folder was left behind or the add fails.
		if (leftover || !git.run(repo, Map.of(), null, "worktree", "add", "--quiet", dir.toString(), branch).ok()) {
			git.check(repo, "worktree", "prune");
			Directories.delete(dir);
			git.check(repo, "worktree", "add", "--quiet", dir.toString(), branch);
		}
		return new RunWorkspace(dir, commit, branch);
	}

	/**
	 * The repository paths that {@code patch} adds, changes or deletes relative to {@code baseCommit}, sorted;
	 * a rename counts as both paths. The patch is applied exactly as {@link #prepareRun} would apply it.
	 * @throws PatchRejectedException when it does not apply
	 */
	public List<String> touchedFiles(long experimentId, String baseCommit, String patch) {
		if (patch == null) {
			return List.of();
		}
		Path repo = existingRepository(experimentId);
		String base = resolveCommit(repo, baseCommit == null ? "HEAD" : baseCommit);
		String tree = new PatchedTree(git, repo).apply(base, patch);
		String names = git.check(repo, "diff-tree", "-r", "-z", "--no-renames", "--name-only", base, tree).text();
		return Arrays.stream(names.split("\0")).filter(name -> !name.isEmpty()).sorted().toList();
	}

	/**
	 * Whether every file matches one of the globs, with {@link FileSystem#getPathMatcher} "glob:" semantics:
	 * {@code *} stays within a folder, {@code **} crosses folders. No files is trivially true; no globs allow
	 * nothing.
	 */
	public static boolean onlyEditable(List<String> files, List<String> editableGlobs) {
		FileSystem fileSystem = FileSystems.getDefault();
		List<PathMatcher> matchers = editableGlobs.stream().map(glob -> fileSystem.getPathMatcher("glob:" + glob))
			.toList();
		return files.stream()
			.map(fileSystem::getPath)
			.allMatch(file -> matchers.stream().anyMatch(matcher -> matcher.matches(file)));
	}

	/** Moves {@code nightshift/best} to {@code commit}, which must be in the experiment's repository. */
	public void markBest(long experimentId, String commit) {
		Path repo = existingRepository(experimentId);
		synchronized (lock(repo)) {
			git.check(repo, "update-ref", "-m", "nightshift: best", "refs/heads/" + BEST_BRANCH,
					resolveCommit(repo, commit));
		}
	}

	/**
	 * The files that the globs allow (the experiment's {@code editable}) as they are at {@code nightshift/best},
	 * or at the imported commit before any run was kept, by path; what an agent reads before it writes a patch.
	 * A file over {@code maxBytes} is cut there. None when the source is not imported yet.
	 */
	public Map<String, String> editableFilesAtBest(long experimentId, List<String> editableGlobs, int maxBytes) {
		if (!hasRepository(experimentId)) {
			return Map.of();
		}
		Path repo = existingRepository(experimentId);
		String commit = bestCommit(experimentId).orElseGet(() -> headCommit(experimentId));
		String names = git.check(repo, "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit).text();
		Map<String, String> files = new java.util.LinkedHashMap<>();
		for (String name : names.split("\0")) {
			if (!name.isEmpty() && onlyEditable(List.of(name), editableGlobs)) {
				byte[] content = git.check(repo, "cat-file", "blob", commit + ":" + name).out();
				files.put(name, new String(content, 0, Math.min(content.length, maxBytes), java.nio.charset.StandardCharsets.UTF_8));
			}
		}
		return files;
	}

	/** Whether the experiment's source was imported into a managed repository. */
	public boolean hasRepository(long experimentId) {
		return Files.isDirectory(repository(experimentId).resolve(".git"));
	}

	/** Where {@code nightshift/best} points; empty when the experiment has no repository or no such branch. */
	public Optional<String> bestCommit(long experimentId) {
		Path repo = repository(experimentId);
		if (!Files.isDirectory(repo.resolve(".git"))) {
			return Optional.empty();
		}
		return Optional.ofNullable(branchCommit(repo, BEST_BRANCH));
	}

	/**
	 * Removes a run's checkout and its worktree entry, keeping its branch and commit (and the rest of
	 * {@code runsDir/<runId>}, such as the log). Nothing happens when the checkout is already gone.
	 */
	public void removeRun(long runId) {
		Path dir = runsDir.resolve(Long.toString(runId)).resolve("work");
		Path repo = owningRepository(dir);
		if (repo == null) {
			Directories.delete(dir);
			return;
		}
		synchronized (lock(repo)) {
			// Deleting and pruning works even when the run left the checkout in a state "worktree remove" refuses.
			Directories.delete(dir);
			git.check(repo, "worktree", "prune");
		}
	}

	/**
	 * Removes the checkout and the branch that {@link #prepareRun} made for a run that never started (one
	 * prepared ahead of its claim whose base has moved on, or that was cancelled in the queue), so the run can be
	 * prepared afresh. Nothing happens when it has no checkout. Never for a run that started: its branch is the
	 * record of the code it ran.
	 */
	public void discardUnstarted(long experimentId, long runId) {
		Path dir = runsDir.resolve(Long.toString(runId)).resolve("work");
		if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		Path repo = existingRepository(experimentId);
		synchronized (lock(repo)) {
			// The branch goes first: a crash after it leaves a folder without a branch, which prepareRun replaces.
			git.check(repo, "update-ref", "-d", "refs/heads/" + RUN_BRANCH_PREFIX + runId);
			Directories.delete(dir);
			git.check(repo, "worktree", "prune");
		}
	}

	/** The repository a worktree belongs to, read from its {@code .git} file ("gitdir: repo/.git/worktrees/x"). */
	private Path owningRepository(Path dir) {
		Path dotGit = dir.resolve(".git");
		if (!Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		try {
			String line = Files.readString(dotGit).strip();
			if (!line.startsWith("gitdir:")) {
				return null;
			}
			Path adminDir = Path.of(line.substring("gitdir:".length()).strip());
			Path repo = adminDir.getParent().getParent().getParent();
			return repo.startsWith(repositoriesDir) ? repo : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean ownedByServer(Path dir) {
		try {
			return Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)
				.equals(Files.getOwner(Path.of("/proc/self"), LinkOption.NOFOLLOW_LINKS));
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	private String resolveCommit(Path repo, String commitish) {
		Git.Result result = git.run(repo, Map.of(), null, "rev-parse", "--verify", "--quiet", commitish + "^{commit}");
		if (!result.ok()) {
			throw new WorkspaceException("No commit " + commitish + " in " + repo);
		}
		return result.line();
	}

	private String branchCommit(Path repo, String branch) {
		Git.Result result = git.run(repo, Map.of(), null, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch);
		return result.ok() ? result.line() : null;
	}

	private Path repository(long experimentId) {
		return repositoriesDir.resolve(Long.toString(experimentId));
	}

	private Path existingRepository(long experimentId) {
		Path repo = repository(experimentId);
		if (!Files.isDirectory(repo.resolve(".git"))) {
			throw new WorkspaceException("Experiment " + experimentId + " has no imported repository at " + repo);
		}
		return repo;
	}

	private Object lock(Path repo) {
		return locks.computeIfAbsent(repo, key -> new Object());
	}

	private static void createDirectories(Path dir) {
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create " + dir, ex);
		}
	}
}
