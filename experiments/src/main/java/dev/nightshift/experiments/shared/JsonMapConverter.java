package dev.nightshift.experiments.shared;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores a map of parameter values as a JSON object in a text column, keeping the key order. */
@Converter
public class JsonMapConverter implements AttributeConverter<Map<String, Object>, String> {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
	};

	@Override
	public String convertToDatabaseColumn(Map<String, Object> values) {
		return json.writeValueAsString(values == null ? Map.of() : values);
	}

	@Override
	public Map<String, Object> convertToEntityAttribute(String text) {
		return text == null ? new LinkedHashMap<>() : json.readValue(text, MAP);
	}
}
