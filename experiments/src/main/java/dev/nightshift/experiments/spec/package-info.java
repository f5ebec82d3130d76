/**
 * The experiment specification (SPEC section 2): what a {@code nightshift.yaml} or a JSON request body says about one
 * training program, that is where its code lives, the command, the objective, the per-run budget, the search space,
 * the editable files, the resources, the noise settings and the research brief. {@link
 * dev.nightshift.experiments.spec.ExperimentSpecParser} turns YAML or JSON text into an immutable {@link
 * dev.nightshift.experiments.spec.ExperimentSpec}, collecting every problem into one {@link
 * dev.nightshift.experiments.spec.SpecValidationException} whose violations name the field and the rule, so that a
 * person fixes a spec in one round instead of one error at a time; it also writes a spec back as canonical JSON.
 */
package dev.nightshift.experiments.spec;
