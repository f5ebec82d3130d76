package dev.nightshift.agent;

/**
 * One request to a model ended, answered or not (each retry is a request of its own); published for the server's
 * metrics. Carries no prompt, answer or key.
 *
 * @param provider     {@code openai}, {@code anthropic} or {@code ollama}
 * @param model        the configured model name
 * @param answered     whether an answer came (usable or not); false for an error or a time-out
 * @param usage        the tokens and cost of the request, {@link Usage#NONE} when none came
 */
public record ModelCalled(String provider, String model, boolean answered, Usage usage) {
}
