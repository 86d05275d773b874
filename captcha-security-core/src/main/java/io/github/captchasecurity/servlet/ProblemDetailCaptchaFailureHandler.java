package io.github.captchasecurity.servlet;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
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
 *
 * @since 0.1.0
 */
public final class ProblemDetailCaptchaFailureHandler implements CaptchaFailureHandler {

	/** Prefix of the {@code type} member; the code follows it. */
	public static final String TYPE_PREFIX = "urn:captcha-security:error:";

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
		JsonResponses.problem(response, outcome.status(), outcome.code(), outcome.title(), detail(outcome), extra,
				retryAfter);
		response.flushBuffer();
	}

	static String detail(VerificationOutcome outcome) {
		return switch (outcome) {
			case MISSING -> "Solve the CAPTCHA and send its token with the request.";
			case MALFORMED -> "Send exactly one CAPTCHA token of printable characters within the length limit.";
			case BODY_TOO_LARGE -> "The request body exceeds the size that is read to find the CAPTCHA token.";
			case INVALID -> "The CAPTCHA provider did not accept the token. Solve the CAPTCHA again.";
			case REPLAYED -> "Each CAPTCHA token can be used once. Solve the CAPTCHA again.";
			case EXPIRED -> "The CAPTCHA token is too old or was already redeemed. Solve the CAPTCHA again.";
			case ACTION_MISMATCH -> "The CAPTCHA token was issued for another action.";
			case HOSTNAME_MISMATCH -> "The CAPTCHA was solved on a site that is not allowed.";
			case CHALLENGE_TYPE_MISMATCH ->
				"Solve a CAPTCHA challenge of a type this route accepts and send its token.";
			case LOW_SCORE -> "The request looks automated. Solve the CAPTCHA again.";
			case PROVIDER_UNAVAILABLE -> "The CAPTCHA could not be checked right now. Try again shortly.";
			case STORE_UNAVAILABLE -> "The CAPTCHA could not be checked right now. Try again shortly.";
			case REPLAY_CACHE_FULL -> "Too many CAPTCHA tokens are being checked right now. Try again shortly.";
			case ESCALATION_REQUIRED ->
				"Solve the challenge described in 'challenge' and send the request again with its token.";
			case RATE_LIMITED -> "Too many failed attempts. Wait for the time given in Retry-After.";
			case PASSED -> "";
		};
	}

}
