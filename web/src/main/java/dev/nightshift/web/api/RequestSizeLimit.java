package dev.nightshift.web.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Caps the size of API request bodies before anything parses them, so an oversized body costs the server
 * nothing: a declared length over the cap is answered 413 at once, a body sent without one fails with 400 as
 * soon as it passes the cap. An experiment specification may have {@value #MAX_SPEC_BYTES} bytes; any other
 * body {@value #MAX_BODY_BYTES} (a proposal's patch is held to far less by validation, which names the rule).
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

	/** Largest experiment specification, YAML or JSON, in bytes. */
	static final long MAX_SPEC_BYTES = 1024 * 1024;

	/** Largest body of any other API request, in bytes. */
	static final long MAX_BODY_BYTES = 16 * 1024 * 1024;

	private final JsonMapper json = JsonMapper.builder().build();

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = "POST".equals(request.getMethod()) && "/api/experiments".equals(request.getRequestURI())
				? MAX_SPEC_BYTES : MAX_BODY_BYTES;
		if (request.getContentLengthLong() > limit) {
			tooLarge(request, response, limit);
			return;
		}
		chain.doFilter(new Bounded(request, limit), response);
	}

	private void tooLarge(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", "Request body too large");
		problem.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
		problem.put("detail", "The body has " + request.getContentLengthLong() + " bytes; " + request.getMethod() + " "
				+ request.getRequestURI() + " takes at most " + limit + ".");
		problem.put("instance", request.getRequestURI());
		// The client is still sending: close the connection rather than read what we refuse.
		response.setHeader("Connection", "close");
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getWriter().write(json.writeValueAsString(problem));
	}

	/** The request with a body that fails to read past the limit. */
	private static final class Bounded extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		Bounded(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new CountingStream(super.getInputStream(), limit);
			}
			return stream;
		}
	}

	private static final class CountingStream extends ServletInputStream {

		private final ServletInputStream in;

		private final long limit;

		private long read;

		CountingStream(ServletInputStream in, long limit) {
			this.in = in;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = in.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = in.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			read += n;
			if (read > limit) {
				throw new IOException("the request body is larger than " + limit + " bytes");
			}
		}

		@Override
		public boolean isFinished() {
			return in.isFinished();
		}

		@Override
		public boolean isReady() {
			return in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			in.setReadListener(listener);
		}
	}
}
