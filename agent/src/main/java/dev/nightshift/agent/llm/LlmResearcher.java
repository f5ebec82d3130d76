package dev.nightshift.agent.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.nightshift.agent.Crash;
import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.Reflection;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.agent.Usage;
import dev.nightshift.agent.llm.Answers.FixAnswer;
import dev.nightshift.agent.llm.Answers.ProposalAnswer;
import dev.nightshift.agent.llm.Answers.ReflectionAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM researcher ({@code llm:<model>}): sends the research digest to a chat model and reads its proposals,
 * and after each run its verdict on the question, as JSON of a schema built from the search space. It never
 * throws for a fault of the model: what could not be used comes back as a {@link ProposalDraft#failed} draft
 * (with the raw answer and the tokens spent), or as no reflection.
 */
public class LlmResearcher implements Proposer {

	private static final Logger log = LoggerFactory.getLogger(LlmResearcher.class);

	private final AgentProperties properties;

	private final DigestText digest;

	private final Conversation conversation;

	/** A researcher reading its API key from the process environment or the configured file. */
	public LlmResearcher(AgentProperties properties, DigestText digest) {
		this(properties, digest, System::getenv);
	}

	/** A researcher reading environment variables through {@code environment} (tests give it a map). */
	LlmResearcher(AgentProperties properties, DigestText digest, UnaryOperator<String> environment) {
		if (properties.provider() == null) {
			throw new IllegalArgumentException("the LLM researcher needs nightshift.agent.provider");
		}
		this.properties = properties;
		this.digest = digest;
		this.conversation = new Conversation(properties, new ApiKey(properties, environment));
	}

	/** Tells {@code observer} of the end of every request this researcher makes to its model (for metrics). */
	public void reportCallsTo(java.util.function.Consumer<dev.nightshift.agent.ModelCalled> observer) {
		conversation.reportCallsTo(observer);
	}

	/** The most calls for proposals one loop may make in an hour ({@code nightshift.agent.max-calls-per-hour}). */
	public int maxCallsPerHour() {
		return properties.maxCallsPerHour();
	}

	@Override
	public String name() {
		return "llm:" + properties.model();
	}

	/**
	 * Up to {@code count} proposals from one request (and at most one repair). The tokens of the whole exchange
	 * are on the first draft, so that adding up the drafts gives the cost of the call.
	 */
	@Override
	public List<ProposalDraft> propose(ResearchContext context, int count) {
		if (count <= 0) {
			return List.of();
		}
		try {
			List<ChatMessage> messages = List.of(SystemMessage.from(Prompts.proposerSystem(context.spec())),
					UserMessage.from(Prompts.proposalRequest(digest.render(context, properties.tokenBudget()), count)));
			Conversation.Answer<List<ProposalAnswer>> answer = conversation.ask(messages,
					AnswerSchemas.proposals(context.spec()), LlmResearcher::atLeastOne);
			List<ProposalDraft> drafts = new ArrayList<>();
			for (ProposalAnswer proposal : answer.value().subList(0, Math.min(count, answer.value().size()))) {
				drafts.add(proposal.toDraft(drafts.isEmpty() ? answer.usage() : Usage.NONE));
			}
			return drafts;
		}
		catch (ModelFault fault) {
			log.warn("{} made no usable proposal for experiment {}: {}", name(), context.experimentId(), fault.getMessage());
			return List.of(ProposalDraft.failed(fault.getMessage(), fault.rawAnswer(), fault.usage()));
		}
		catch (RuntimeException unexpected) {
			log.error("{} failed unexpectedly for experiment {}", name(), context.experimentId(), unexpected);
			return List.of(ProposalDraft.failed("unexpected failure: " + unexpected, null, Usage.NONE));
		}
	}

	/**
	 * The model's fix of a crashed patch: shown the digest, the patch and the end of its log, it answers with the
	 * corrected patch, which becomes a draft for the crashed proposal's question. Empty when the model found
	 * nothing to fix; a {@link ProposalDraft#failed} draft when its answer could not be used.
	 */
	public Optional<ProposalDraft> debug(ResearchContext context, Crash crash) {
		try {
			List<ChatMessage> messages = List.of(SystemMessage.from(Prompts.debuggerSystem(context.spec())),
					UserMessage.from(Prompts.debugRequest(digest.render(context, properties.tokenBudget()), crash)));
			Conversation.Answer<FixAnswer> answer = conversation.ask(messages, AnswerSchemas.fix(context.spec()),
					Answers::fix);
			if (answer.value().patch() == null) {
				log.info("{} found nothing to fix in proposal {}: {}", name(), crash.proposalId(),
						answer.value().diagnosis());
				return Optional.empty();
			}
			return Optional.of(answer.value().toDraft(crash, answer.usage()));
		}
		catch (ModelFault fault) {
			log.warn("{} made no usable fix of proposal {}: {}", name(), crash.proposalId(), fault.getMessage());
			return Optional.of(ProposalDraft.failed(fault.getMessage(), fault.rawAnswer(), fault.usage()));
		}
		catch (RuntimeException unexpected) {
			log.error("{} failed unexpectedly debugging proposal {}", name(), crash.proposalId(), unexpected);
			return Optional.of(ProposalDraft.failed("unexpected failure: " + unexpected, null, Usage.NONE));
		}
	}

	/**
	 * The model's verdict on the question {@code finished} studied; empty for a run without a question (a
	 * baseline) and when the model gave nothing usable.
	 */
	@Override
	public Optional<Reflection> reflect(ResearchContext context, RunSummary finished) {
		if (finished.questionId() == null) {
			return Optional.empty();
		}
		try {
			List<ChatMessage> messages = List.of(SystemMessage.from(Prompts.reflectorSystem(context.spec())),
					UserMessage.from(Prompts.reflectionRequest(digest.render(context, properties.tokenBudget()), context,
							finished)));
			Conversation.Answer<ReflectionAnswer> answer = conversation.ask(messages, AnswerSchemas.reflection(),
					Answers::reflection);
			// The run's question is known; the model does not get to move the verdict to another one.
			return Optional.of(new Reflection(finished.questionId(), answer.value().status(), answer.value().conclusion(),
					answer.usage()));
		}
		catch (ModelFault fault) {
			log.warn("{} gave no usable reflection on run {} ({} tokens in, {} out): {}", name(), finished.id(),
					fault.usage().inputTokens(), fault.usage().outputTokens(), fault.getMessage());
			return Optional.empty();
		}
		catch (RuntimeException unexpected) {
			log.error("{} failed unexpectedly reflecting on run {}", name(), finished.id(), unexpected);
			return Optional.empty();
		}
	}

	/** A model's every call costs time and tokens: calls run on the model executor and are planned ahead. */
	@Override
	public boolean costsCalls() {
		return true;
	}

	/** {@code nightshift.agent.max-proposals-per-call}. */
	@Override
	public int maxProposalsPerCall() {
		return properties.maxProposalsPerCall();
	}

	/**
	 * One reflection per run, from one call for several runs ({@link BatchReflection}); a single run is asked
	 * as {@link #reflect} asks.
	 */
	@Override
	public List<Reflection> reflectAll(ResearchContext context, List<RunSummary> finished) {
		List<RunSummary> withQuestion = finished.stream().filter(run -> run.questionId() != null).toList();
		if (withQuestion.size() <= 1) {
			return withQuestion.stream().flatMap(run -> reflect(context, run).stream()).toList();
		}
		return new BatchReflection(conversation, digest, properties).reflect(context, withQuestion, name());
	}

	private static List<ProposalAnswer> atLeastOne(String answer) {
		List<ProposalAnswer> proposals = Answers.proposals(answer);
		if (proposals.isEmpty()) {
			throw new AnswerException("the \"proposals\" array is empty; at least one proposal was asked for");
		}
		return proposals;
	}
}
