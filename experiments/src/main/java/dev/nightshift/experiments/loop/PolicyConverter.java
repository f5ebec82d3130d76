package dev.nightshift.experiments.loop;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a policy under its API name ({@code params-auto}), as the schema's comment says. */
@Converter
class PolicyConverter implements AttributeConverter<ApprovalPolicy, String> {

	@Override
	public String convertToDatabaseColumn(ApprovalPolicy policy) {
		return policy == null ? null : policy.wireName();
	}

	@Override
	public ApprovalPolicy convertToEntityAttribute(String name) {
		return name == null ? null : ApprovalPolicy.fromWireName(name);
	}
}
