package dev.nightshift.agent;

import java.util.List;

/**
 * A proposer's draft was recorded as REJECTED; published for the server's metrics.
 *
 * @param proposer who proposed it ({@code llm:<model>}, {@code strategy:<name>}, ...)
 * @param rules    the short names of the rules it broke ({@code duplicate}, {@code does-not-apply}, ...), or
 *                 {@code changed-meanwhile} when the world moved between validation and recording
 */
public record ProposalRejected(long experimentId, String proposer, List<String> rules) {
}
