package dev.nightshift.web.security;

/** What an account may do; each role includes the ones below it. */
public enum Role {
	/** Reads everything, changes nothing. */
	VIEWER,
	/** Also proposes, approves, vetoes, runs loops and cancels runs. */
	REVIEWER,
	/** Also registers experiments and manages accounts. */
	ADMIN
}
