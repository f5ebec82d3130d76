package dev.nightshift.experiments.spec;

/** The text formats an experiment specification is accepted in. */
public enum SpecFormat {
	/** A {@code nightshift.yaml} file or an {@code application/yaml} request body. */
	YAML,
	/** A JSON request body, or the canonical form written by {@link ExperimentSpecParser#toJson}. */
	JSON
}
