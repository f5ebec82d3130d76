package dev.nightshift.experiments.question;

import java.time.Instant;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.lifecycle.StatusChanged;

/** A question was opened or closed. */
public record QuestionStatusChanged(QuestionId questionId, ExperimentId experimentId, QuestionStatus from,
		QuestionStatus to, String actor, String reason, Instant at) implements StatusChanged {

	@Override
	public String aggregate() {
		return "QUESTION";
	}

	@Override
	public long aggregateId() {
		return questionId.value();
	}
}
