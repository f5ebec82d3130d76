package dev.nightshift.experiments.loop;

import java.util.Arrays;

/** Who decides on a loop's proposals (SPEC section 6). */
public enum ApprovalPolicy {

	/** Every proposal waits for a person. */
	MANUAL("manual"),
	/** Parameter-only proposals are approved automatically; code patches wait for a person. */
	PARAMS_AUTO("params-auto"),
	/** Everything is approved automatically. */
	AUTO("auto");

	private final String wireName;

	ApprovalPolicy(String wireName) {
		this.wireName = wireName;
	}

	/** The name used in the API and the UI. */
	public String wireName() {
		return wireName;
	}

	/** The policy called {@code name} in the API, e.g. {@code params-auto}. */
	public static ApprovalPolicy fromWireName(String name) {
		return Arrays.stream(values())
			.filter(policy -> policy.wireName.equalsIgnoreCase(name) || policy.name().equalsIgnoreCase(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"unknown policy '" + name + "'; use manual, params-auto or auto"));
	}
}
