package dev.nightshift.web.ui;

import java.security.Principal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.lifecycle.IllegalTransitionException;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.loop.StopConditions;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.scheduler.execution.CancelRun;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The forms of the pages: approve, veto, start, pause, resume and stop a loop, cancel a run. All live under
 * {@code /ui/actions/}, which the browser's security chain opens to REVIEWER and ADMIN only; each calls the
 * same use case as the API and redirects back with a notice, or with the problem in words.
 */
@Controller
@RequestMapping("/ui/actions")
class UiActions {

	private final DecideProposal decide;
	private final LoopControl loops;
	private final CancelRun cancel;

	UiActions(DecideProposal decide, LoopControl loops, CancelRun cancel) {
		this.decide = decide;
		this.loops = loops;
		this.cancel = cancel;
	}

	@PostMapping("/proposals/{id}/approve")
	String approve(@PathVariable long id, @RequestParam(required = false) String back, Principal user,
			RedirectAttributes flash) {
		return act(back, "/proposals/" + id, flash, () -> {
			decide.approve(new ProposalId(id), actor(user));
			return "Proposal #" + id + " approved.";
		});
	}

	@PostMapping("/proposals/{id}/veto")
	String veto(@PathVariable long id, @RequestParam(required = false) String reason,
			@RequestParam(required = false) String back, Principal user, RedirectAttributes flash) {
		return act(back, "/proposals/" + id, flash, () -> {
			decide.veto(new ProposalId(id), actor(user), reason);
			return "Proposal #" + id + " vetoed.";
		});
	}

	/**
	 * @param until a local date and time as an {@code <input type=datetime-local>} sends it
	 * @param zone  the browser's time zone, which the page's script fills in; UTC without it
	 */
	@PostMapping("/experiments/{id}/loop")
	String start(@PathVariable long id, @RequestParam String policy, @RequestParam(required = false) Integer maxRuns,
			@RequestParam(required = false) String until, @RequestParam(required = false) String zone,
			@RequestParam(required = false) Integer lookahead, @RequestParam(required = false) Double maxCost,
			@RequestParam(required = false) Long maxTokens, @RequestParam(required = false) String proposer,
			@RequestParam(required = false) Boolean reflect,
			Principal user, RedirectAttributes flash) {
		return act(null, loopAnchor(id), flash, () -> {
			ApprovalPolicy chosen;
			try {
				chosen = ApprovalPolicy.fromWireName(policy);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequestException("policy", "one-of", ex.getMessage());
			}
			StopConditions stop = new StopConditions(instant(until, zone), maxRuns, null, null, maxCost, maxTokens);
			boolean external = Loop.EXTERNAL.equals(proposer);
			loops.start(new LoopControl.Start(new ExperimentId(id), chosen, stop, lookahead, external, reflect),
					actor(user));
			return "Loop started (" + chosen.wireName() + (external ? ", proposals from an agent over MCP" : "") + ").";
		});
	}

	@PostMapping("/experiments/{id}/loop/pause")
	String pause(@PathVariable long id, Principal user, RedirectAttributes flash) {
		return act(null, loopAnchor(id), flash, () -> {
			loops.pause(new ExperimentId(id), actor(user));
			return "Loop paused: nothing new starts until it resumes.";
		});
	}

	@PostMapping("/experiments/{id}/loop/resume")
	String resume(@PathVariable long id, Principal user, RedirectAttributes flash) {
		return act(null, loopAnchor(id), flash, () -> {
			loops.resume(new ExperimentId(id), actor(user));
			return "Loop resumed.";
		});
	}

	@PostMapping("/experiments/{id}/loop/stop")
	String stop(@PathVariable long id, @RequestParam(required = false) String reason, Principal user,
			RedirectAttributes flash) {
		return act(null, loopAnchor(id), flash, () -> {
			loops.stop(new ExperimentId(id), actor(user), reason);
			return "Loop stopped.";
		});
	}

	@PostMapping("/runs/{id}/cancel")
	String cancel(@PathVariable long id, Principal user, RedirectAttributes flash) {
		return act(null, "/runs/" + id, flash, () -> cancel.cancel(new RunId(id), actor(user)) == CancelRun.Result.CANCELLED
				? "Run #" + id + " cancelled." : "Run #" + id + " is being stopped.");
	}

	private static String act(String back, String fallback, RedirectAttributes flash, Supplier<String> action) {
		try {
			flash.addFlashAttribute("notice", action.get());
		}
		catch (InvalidRequestException | ConflictException | IllegalTransitionException | NotFoundException ex) {
			flash.addFlashAttribute("problem", ex.getMessage());
		}
		catch (ObjectOptimisticLockingFailureException ex) {
			flash.addFlashAttribute("problem", "Someone else changed this at the same moment; look again and retry.");
		}
		return "redirect:" + (isLocal(back) ? back : fallback);
	}

	/** Only a path on this server, so a crafted link cannot send a person elsewhere after a decision. */
	static boolean isLocal(String path) {
		return path != null && path.startsWith("/") && !path.startsWith("//") && !path.contains("\\")
				&& path.chars().noneMatch(Character::isISOControl);
	}

	private static String loopAnchor(long experiment) {
		return "/experiments/" + experiment + "#loop";
	}

	private static String actor(Principal user) {
		return "human:" + user.getName();
	}

	private static Instant instant(String local, String zone) {
		if (local == null || local.isBlank()) {
			return null;
		}
		try {
			ZoneId at = zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone);
			return LocalDateTime.parse(local.strip()).atZone(at).toInstant();
		}
		catch (DateTimeException ex) {
			throw new InvalidRequestException("until", "pattern", "'" + local + "' is not a date and time");
		}
	}
}
