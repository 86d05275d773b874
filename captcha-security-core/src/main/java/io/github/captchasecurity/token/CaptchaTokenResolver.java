package io.github.captchasecurity.token;

import java.io.IOException;

import io.github.captchasecurity.CaptchaVerificationException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds the CAPTCHA token in a request.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaTokenResolver {

	/**
	 * Find the token.
	 * @param request the request
	 * @return the token (or none) and the request to continue with
	 * @throws CaptchaVerificationException if the request carries more than one different
	 * token, a token in an unusable form, or a body too large to be searched
	 * @throws IOException if the body cannot be read
	 */
	ResolvedToken resolve(HttpServletRequest request) throws IOException;

}
