/**
 * Deciding what to keep (SPEC section 4): every successful run is compared with the experiment's best, with a
 * margin measured from the noise of replicate runs, so that a seed change never passes for a win.
 */
package dev.nightshift.experiments.verdict;
