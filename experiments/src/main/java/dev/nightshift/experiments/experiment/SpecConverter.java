package dev.nightshift.experiments.experiment;

import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a specification as its canonical JSON, so what is read back equals what was registered. */
@Converter
class SpecConverter implements AttributeConverter<ExperimentSpec, String> {

	private static final ExperimentSpecParser parser = new ExperimentSpecParser();

	@Override
	public String convertToDatabaseColumn(ExperimentSpec spec) {
		return spec == null ? null : parser.toJson(spec);
	}

	@Override
	public ExperimentSpec convertToEntityAttribute(String json) {
		return json == null ? null : parser.parseJson(json);
	}
}
