/**
 * The code each run executes, kept in git: an experiment's source is imported once into a managed repository,
 * and each run gets a cheap checkout of its own (a {@code git worktree}) on a branch {@code nightshift/run-<id>}
 * holding base plus patch, with {@code nightshift/best} marking the best code. It drives the {@code git}
 * command line rather than a Java library, so patches are applied by git's own {@code apply} (and rejected
 * with git's own messages, which go back to the proposer), worktrees are git's own, and an operator can
 * inspect every run with plain git. Patches come as unified diffs or as SEARCH/REPLACE edit blocks.
 */
package dev.nightshift.scheduler.workspace;
