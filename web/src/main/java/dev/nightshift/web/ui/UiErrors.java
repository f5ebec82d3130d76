package dev.nightshift.web.ui;

import dev.nightshift.experiments.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Failures of the pages as a readable page, not as the API's problem+json: a missing experiment, run or
 * proposal is a 404 page, anything unexpected a 500 page with the details only in the server log.
 */
@ControllerAdvice(basePackageClasses = UiErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiErrors {

	private static final Logger log = LoggerFactory.getLogger(UiErrors.class);

	@ExceptionHandler({ NotFoundException.class, MethodArgumentTypeMismatchException.class })
	ModelAndView notFound(Exception ex) {
		return page(HttpStatus.NOT_FOUND, ex instanceof NotFoundException ? ex.getMessage() : "There is no such page.");
	}

	@ExceptionHandler
	ModelAndView unexpected(Exception ex) {
		log.error("A page failed", ex);
		return page(HttpStatus.INTERNAL_SERVER_ERROR, "The server failed unexpectedly; its log has the details.");
	}

	@ExceptionHandler
	ModelAndView badRequest(ServletRequestBindingException ex) {
		return page(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	private static ModelAndView page(HttpStatus status, String message) {
		ModelAndView page = new ModelAndView("error");
		page.setStatus(status);
		page.addObject("status", status.value());
		page.addObject("error", status.getReasonPhrase());
		page.addObject("message", message);
		return page;
	}
}
