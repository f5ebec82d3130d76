package dev.nightshift.web.ui;

/**
 * The request headers htmx sends. A page answers the same URL with the whole page, or with the one fragment
 * named by {@link #TARGET} when htmx swaps just that part.
 */
final class Htmx {

	/** The id of the element htmx will swap. */
	static final String TARGET = "HX-Target";

	private Htmx() {
	}
}
