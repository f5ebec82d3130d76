package dev.nightshift.web.api;

import java.util.List;

import dev.nightshift.experiments.lifecycle.IllegalTransitionException;
import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.experiments.shared.Violation;
import dev.nightshift.experiments.spec.SpecValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API failure as {@code application/problem+json}: field errors under {@code errors} (each with
 * {@code field}, {@code rule} and {@code message}), never a stack trace.
 */
@RestControllerAdvice(basePackages = "dev.nightshift.web")
class ApiProblems extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

	@ExceptionHandler
	ProblemDetail invalidSpec(SpecValidationException ex) {
		List<Violation> errors = ex.violations()
			.stream()
			.map(v -> new Violation(v.field(), v.rule(), v.message()))
			.toList();
		return withErrors(problem(HttpStatus.BAD_REQUEST, "Invalid experiment specification", ex.getMessage()), errors);
	}

	@ExceptionHandler
	ProblemDetail invalidRequest(InvalidRequestException ex) {
		return withErrors(problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage()), ex.violations());
	}

	@ExceptionHandler
	ProblemDetail notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail conflict(ConflictException ex) {
		return problem(HttpStatus.CONFLICT, "Conflict", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail illegalTransition(IllegalTransitionException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Illegal state transition", ex.getMessage());
		problem.setProperty("machine", ex.machine());
		problem.setProperty("from", ex.from());
		problem.setProperty("to", ex.to());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail concurrentChange(ObjectOptimisticLockingFailureException ex) {
		return problem(HttpStatus.CONFLICT, "Concurrent change",
				"Someone else changed this at the same moment; read it again and retry.");
	}

	/**
	 * PostgreSQL refuses text with a NUL character. The use cases check their texts; this is the net behind
	 * them, so a text field nobody thought of is still a 400 and not a 500.
	 */
	@ExceptionHandler
	ProblemDetail storedDataRefused(DataIntegrityViolationException ex) {
		String cause = String.valueOf(ex.getMostSpecificCause().getMessage());
		if (cause.contains("0x00")) {
			return withErrors(problem(HttpStatus.BAD_REQUEST, "Invalid request", "Text must not contain NUL characters."),
					List.of(new Violation("", "no-nul", "a text field contains a NUL character (\\u0000)")));
		}
		return unexpected(ex);
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		log.error("Unexpected failure of an API request", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"The server failed unexpectedly; the server log has the details.");
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String cause = ex.getMostSpecificCause().getMessage();
		String first = cause == null ? "" : cause.lines().findFirst().orElse("");
		return ResponseEntity.badRequest()
			.body(problem(HttpStatus.BAD_REQUEST, "Unreadable request body", "The body is not valid JSON for this request: " + first));
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	private static ProblemDetail withErrors(ProblemDetail problem, List<Violation> errors) {
		problem.setProperty("errors", errors);
		return problem;
	}
}
