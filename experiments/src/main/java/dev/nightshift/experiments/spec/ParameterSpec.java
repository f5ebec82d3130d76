package dev.nightshift.experiments.spec;

/**
 * One dimension of an experiment's search space. A run sees each parameter as an upper-case environment variable,
 * so the names (the keys of {@link ExperimentSpec#parameters()}) are lower-case identifiers.
 */
public sealed interface ParameterSpec permits FloatParameter, IntParameter, ChoiceParameter {

	/** The {@code type} key of this parameter in YAML and JSON: {@code float}, {@code int} or {@code choice}. */
	String type();

	/** The default value boxed ({@code Double}, {@code Long} or {@code String}), for code that handles any type. */
	Object defaultObject();
}
