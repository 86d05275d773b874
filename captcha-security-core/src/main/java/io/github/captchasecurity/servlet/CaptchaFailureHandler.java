package io.github.captchasecurity.servlet;

import java.io.IOException;

import io.github.captchasecurity.CaptchaVerificationException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the answer to a request that failed CAPTCHA verification. The filter never
 * continues the chain after calling it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaFailureHandler {

	/**
	 * Answer a rejected request.
	 * @param request the request
	 * @param response the response, not yet committed
	 * @param exception why the request was rejected
	 * @throws IOException if writing fails
	 * @throws ServletException on other failures
	 */
	void onFailure(HttpServletRequest request, HttpServletResponse response, CaptchaVerificationException exception)
			throws IOException, ServletException;

}
