package dev.nightshift.scheduler.slurm;

/** A Slurm command failed, or a run cannot be submitted to Slurm; the message says which and why. */
class SlurmException extends RuntimeException {

	SlurmException(String message) {
		super(message);
	}

	SlurmException(String message, Throwable cause) {
		super(message, cause);
	}
}
