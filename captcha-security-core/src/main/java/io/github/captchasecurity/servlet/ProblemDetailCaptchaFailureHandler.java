package io.github.captchasecurity.servlet;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.message.CaptchaMessages;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers rejections with an RFC 9457 {@code application/problem+json} body: <pre>
 * {"type": "urn:captcha-security:error:captcha_invalid", "title": "The CAPTCHA token is not valid",
 *  "status": 403, "detail": "...", "instance": "/api/contact", "code": "captcha_invalid"}
 * </pre> The {@code code} member is the stable error code. An escalation adds a
 * {@code challenge} object describing the stronger challenge to show; a rate limit, an
 * unavailable provider and a full replay cache add {@code Retry-After}. Nothing from the
 * token, the provider's answer or the configuration is echoed.
 * <p>
 * {@code title} and {@code detail} are in the request's language
 * ({@link CaptchaLocaleResolver}, by default the {@code Accept-Language} header), from
 * the {@link CaptchaMessages} keys {@code captcha.error.CODE.title} and
 * {@code captcha.error.CODE.detail}; the answer carries {@code Content-Language}. The
 * {@code type} and {@code code} members never change with the language.
 *
 * @since 0.1.0
 */
public final class ProblemDetailCaptchaFailureHandler implements CaptchaFailureHandler {

	/** Prefix of the {@code type} member; the code follows it. */
	public static final String TYPE_PREFIX = "urn:captcha-security:error:";

	private final CaptchaMessages messages;

	private final CaptchaLocaleResolver localeResolver;

	/**
	 * Create a handler with the bundled messages, in the language of the
	 * {@code Accept-Language} header.
	 */
	public ProblemDetailCaptchaFailureHandler() {
		this(CaptchaMessages.bundled(), CaptchaLocaleResolver.acceptLanguage());
	}

	/**
	 * Create a handler.
	 * @param messages the texts
	 * @param localeResolver chooses the language of each answer
	 */
	public ProblemDetailCaptchaFailureHandler(CaptchaMessages messages, CaptchaLocaleResolver localeResolver) {
		this.messages = Objects.requireNonNull(messages, "messages");
		this.localeResolver = Objects.requireNonNull(localeResolver, "localeResolver");
	}

	@Override
	public void onFailure(HttpServletRequest request, HttpServletResponse response,
			CaptchaVerificationException exception) throws IOException {
		VerificationOutcome outcome = exception.getOutcome();
		VerificationResult result = exception.getResult();
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("instance", request.getRequestURI());
		if (!result.challenge().isEmpty()) {
			extra.put("challenge", result.challenge());
		}
		Long retryAfter = null;
		if (result.retryAfter() != null) {
			retryAfter = Math.max(1, (result.retryAfter().toMillis() + 999) / 1000);
		}
		else if (outcome == VerificationOutcome.PROVIDER_UNAVAILABLE || outcome == VerificationOutcome.STORE_UNAVAILABLE
				|| outcome == VerificationOutcome.REPLAY_CACHE_FULL) {
			retryAfter = 5L;
		}
		String code = outcome.code();
		Locale locale = this.localeResolver.resolveLocale(request);
		String title = (code != null) ? this.messages.message(CaptchaMessages.titleKey(code), locale) : outcome.title();
		String detail = (code != null) ? this.messages.message(CaptchaMessages.detailKey(code), locale) : "";
		JsonResponses.problem(response, outcome.status(), code, title, detail, extra, retryAfter, locale);
		response.flushBuffer();
	}

}
