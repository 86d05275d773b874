package io.github.captchasecurity.servlet;

import java.util.Objects;

import io.github.captchasecurity.CaptchaRule;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What a request was verified for: the rule its token passed, and the method and request
 * URI the verifying filter saw. {@link CaptchaVerificationFilter} stores it in the
 * request attribute {@link CaptchaVerificationFilter#VERIFIED_ATTRIBUTE}, so that a later
 * check (such as the starter's Spring MVC interceptor) can tell whether this request was
 * verified for the rule its handler requires, or was rewritten or forwarded on the way to
 * a handler that requires another one.
 *
 * @param rule the rule the token passed
 * @param method the HTTP method the filter saw
 * @param requestUri the request URI the filter saw, as
 * {@link HttpServletRequest#getRequestURI()} returned it
 * @since 0.1.0
 */
public record VerifiedRequest(CaptchaRule rule, String method, String requestUri) {

	/**
	 * Create a verified request.
	 * @param rule the rule
	 * @param method the method
	 * @param requestUri the request URI
	 */
	public VerifiedRequest {
		Objects.requireNonNull(rule, "rule");
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(requestUri, "requestUri");
	}

	/**
	 * Return what a request was verified for.
	 * @param request the request
	 * @return the verification, or null if the request was not verified
	 */
	public static @Nullable VerifiedRequest of(HttpServletRequest request) {
		return (request.getAttribute(CaptchaVerificationFilter.VERIFIED_ATTRIBUTE) instanceof VerifiedRequest verified)
				? verified : null;
	}

	/**
	 * Whether a request has the method and URI this one was verified with (the same
	 * request, not rewritten since).
	 * @param request the request as a later stage sees it
	 * @return {@code true} if method and URI are unchanged
	 * @since 0.1.0
	 */
	public boolean isFor(HttpServletRequest request) {
		return this.method.equals(String.valueOf(request.getMethod()))
				&& this.requestUri.equals(String.valueOf(request.getRequestURI()));
	}

	/**
	 * Whether this verification stands for a request that needs a rule: the rule is the
	 * one verified, or the request still has the method and URI the verifying filter saw
	 * (that filter chose among the rules that apply, in its own order of precedence).
	 * @param request the request, as it is now
	 * @param required the rule the request needs
	 * @return {@code true} if the request need not be verified again
	 */
	public boolean covers(HttpServletRequest request, CaptchaRule required) {
		return this.rule.equals(required) || isFor(request);
	}

}
