package dev.nightshift.experiments.importance;

/**
 * One column of the forest's input: a numeric parameter scaled to {@code [0, 1]} over the values tried (on a log
 * scale where the parameter is), or a choice coded as the index of its value among {@code categories} values.
 *
 * @param name       the parameter's name
 * @param categories the number of values of a choice; 0 for a numeric parameter
 */
record Factor(String name, int categories) {

	static Factor numeric(String name) {
		return new Factor(name, 0);
	}

	static Factor choice(String name, int categories) {
		return new Factor(name, categories);
	}

	boolean isChoice() {
		return categories > 0;
	}
}
