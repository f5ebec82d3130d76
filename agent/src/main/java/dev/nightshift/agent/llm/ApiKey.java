package dev.nightshift.agent.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.UnaryOperator;

/**
 * Reads the API key when a call is made, from the secret file or the environment, and never keeps it: the key
 * lives only as long as one call's model object, which puts it in the authentication header and nowhere else.
 */
final class ApiKey {

	private final AgentProperties properties;

	private final UnaryOperator<String> environment;

	ApiKey(AgentProperties properties, UnaryOperator<String> environment) {
		this.properties = properties;
		this.environment = environment;
	}

	/**
	 * @return the key, or null when none is configured and none is needed
	 * @throws ModelFault when a needed key is missing or its file cannot be read; the message names where the
	 *                    key was looked for, never the key
	 */
	String read() {
		String key = properties.apiKeyFile() != null ? fromFile() : fromEnvironment();
		if (key == null && properties.keyRequired()) {
			throw new ModelFault("no API key: set the environment variable " + properties.apiKeyEnv()
					+ " or nightshift.agent.api-key-file");
		}
		return key;
	}

	private String fromFile() {
		try {
			return blankToNull(Files.readString(properties.apiKeyFile()));
		}
		catch (IOException ex) {
			// The exception's message may name the file, never its content.
			throw new ModelFault("cannot read the API key file " + properties.apiKeyFile() + " ("
					+ ex.getClass().getSimpleName() + ")");
		}
	}

	private String fromEnvironment() {
		return properties.apiKeyEnv() == null ? null : blankToNull(environment.apply(properties.apiKeyEnv()));
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

	/** {@code text} with every occurrence of {@code key} masked, for messages that may quote a request. */
	static String mask(String text, String key) {
		if (text == null || key == null || key.isEmpty()) {
			return text;
		}
		return text.replace(key, "***");
	}
}
