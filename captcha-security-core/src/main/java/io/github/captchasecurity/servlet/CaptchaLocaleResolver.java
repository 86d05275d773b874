package io.github.captchasecurity.servlet;

import java.util.Collections;
import java.util.Locale;

import io.github.captchasecurity.message.CaptchaMessages;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Chooses the language the server answers a request in: one of
 * {@link CaptchaMessages#SUPPORTED_LOCALES}, sent back as {@code Content-Language}. The
 * default, {@link #acceptLanguage()}, negotiates the {@code Accept-Language} header; the
 * starter asks Spring's {@code LocaleResolver} where the application has one of its own.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaLocaleResolver {

	/**
	 * Choose the language of the answer to a request.
	 * @param request the request
	 * @return one of {@link CaptchaMessages#SUPPORTED_LOCALES}, never null
	 */
	Locale resolveLocale(HttpServletRequest request);

	/**
	 * The language negotiated from the request's {@code Accept-Language} headers
	 * ({@link CaptchaMessages#negotiate(String)}): English when absent or unsupported.
	 * @return the resolver
	 */
	static CaptchaLocaleResolver acceptLanguage() {
		return (request) -> CaptchaMessages
			.negotiate(String.join(",", Collections.list(request.getHeaders("Accept-Language"))));
	}

}
