package dev.nightshift.experiments.proposal;

import java.util.List;

import dev.nightshift.experiments.experiment.ExperimentId;

/**
 * Whether a patch applies to an experiment's code, and which files it touches. The scheduler implements it
 * with the experiment's managed repository; proposers and validation only see this port.
 */
public interface PatchCheck {

	/**
	 * @param baseCommit the commit the patch is against; null means the experiment's current best (or its
	 *                   imported code)
	 * @return the paths the patch changes
	 * @throws InvalidPatchException naming the file and the reason when it does not apply
	 */
	List<String> touchedFiles(ExperimentId experiment, String baseCommit, String patch);

	/** A patch that does not apply, or is not a patch. */
	class InvalidPatchException extends RuntimeException {

		public InvalidPatchException(String message) {
			super(message);
		}
	}
}
