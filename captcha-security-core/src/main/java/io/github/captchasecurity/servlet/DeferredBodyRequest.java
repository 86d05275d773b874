package io.github.captchasecurity.servlet;

import java.io.BufferedReader;
import java.io.IOException;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a request the filter let through unverified, so that a later verification of the
 * same request (by the starter's Spring MVC interceptor, after a filter rewrote the path)
 * can read the body to find a token and still leave it whole for the handler: once
 * {@link #readBodyFrom(HttpServletRequest)} is given the request holding the body read
 * into memory, reads go there. Until then, and for requests that never need it, it
 * changes nothing.
 */
final class DeferredBodyRequest extends HttpServletRequestWrapper {

	/** Request attribute holding the wrapper, for the verification that needs it. */
	static final String ATTRIBUTE = DeferredBodyRequest.class.getName();

	private volatile @Nullable HttpServletRequest body;

	private boolean reading;

	DeferredBodyRequest(HttpServletRequest request) {
		super(request);
	}

	/**
	 * Wrap a request with a body, once.
	 * @param request the request
	 * @return the request to pass on
	 */
	static HttpServletRequest wrap(HttpServletRequest request) {
		if (request.getContentType() == null || request.getAttribute(ATTRIBUTE) != null) {
			return request;
		}
		DeferredBodyRequest wrapped = new DeferredBodyRequest(request);
		request.setAttribute(ATTRIBUTE, wrapped);
		return wrapped;
	}

	/**
	 * Let the request read its body from another one, which read it into memory.
	 * @param request the request holding the body
	 * @param bodySource the request to read from
	 */
	static void readBodyFrom(HttpServletRequest request, HttpServletRequest bodySource) {
		if (request.getAttribute(ATTRIBUTE) instanceof DeferredBodyRequest deferred && deferred != bodySource) {
			deferred.body = bodySource;
		}
	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		HttpServletRequest source = source();
		if (source == null) {
			return super.getInputStream();
		}
		try {
			return source.getInputStream();
		}
		finally {
			this.reading = false;
		}
	}

	@Override
	public BufferedReader getReader() throws IOException {
		HttpServletRequest source = source();
		if (source == null) {
			return super.getReader();
		}
		try {
			return source.getReader();
		}
		finally {
			this.reading = false;
		}
	}

	@Override
	public int getContentLength() {
		HttpServletRequest source = source();
		if (source == null) {
			return super.getContentLength();
		}
		try {
			return source.getContentLength();
		}
		finally {
			this.reading = false;
		}
	}

	@Override
	public long getContentLengthLong() {
		HttpServletRequest source = source();
		if (source == null) {
			return super.getContentLengthLong();
		}
		try {
			return source.getContentLengthLong();
		}
		finally {
			this.reading = false;
		}
	}

	/**
	 * The request to read from, or null to read from the wrapped one (also when called
	 * back from it).
	 * @return the request to read from, or null
	 */
	private @Nullable HttpServletRequest source() {
		HttpServletRequest source = this.body;
		if (source == null || this.reading) {
			return null;
		}
		this.reading = true;
		return source;
	}

}
