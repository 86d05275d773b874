package io.github.captchasecurity.provider;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.http.HttpResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The answer of a {@code siteverify}-style API (reCAPTCHA, hCaptcha, Turnstile):
 * {@code success}, {@code error-codes}, {@code hostname}, {@code action}, {@code cdata},
 * {@code challenge_ts}, {@code score}. Read leniently (unknown members are ignored,
 * members of the wrong type read as absent) except where a pass depends on it: see
 * {@link #parse(HttpResult)}. Immutable.
 *
 * @param success the verdict
 * @param errorCodes the error codes, possibly empty
 * @param hostname the hostname (or Android package name), or null
 * @param action the action, or null
 * @param cdata the customer data (Turnstile), or null
 * @param challengeTimestamp the challenge time, or null
 * @param score the score as reported, or null
 * @since 0.1.0
 */
public record SiteverifyAnswer(boolean success, List<String> errorCodes, @Nullable String hostname,
		@Nullable String action, @Nullable String cdata, @Nullable Instant challengeTimestamp, @Nullable Double score) {

	/**
	 * Create an answer.
	 * @param success the verdict
	 * @param errorCodes the error codes
	 * @param hostname the hostname or null
	 * @param action the action or null
	 * @param cdata the customer data or null
	 * @param challengeTimestamp the challenge time or null
	 * @param score the score or null
	 */
	public SiteverifyAnswer {
		errorCodes = List.copyOf(errorCodes);
	}

	private static final Logger logger = LoggerFactory.getLogger(SiteverifyAnswer.class);

	/**
	 * Read an HTTP answer. An answer with {@code success: true} is read strictly, because
	 * it would let a request through: a {@code score} that is not a number between 0.0
	 * and 1.0, a {@code challenge_ts} that is present but unreadable, or any
	 * {@code error-codes} make it unusable. A duplicated key makes any answer unreadable.
	 * @param result the HTTP answer
	 * @return the answer, or null if the status is not 2xx, the body is not a JSON object
	 * with a boolean {@code success}, or it is a pass that cannot be believed (see above)
	 */
	public static @Nullable SiteverifyAnswer parse(HttpResult result) {
		if (!result.isSuccessful()) {
			return null;
		}
		JsonNode json = ProviderJson.parseObject(result.body());
		Boolean success = (json != null) ? ProviderJson.bool(json, "success") : null;
		if (json == null || success == null) {
			return null;
		}
		String hostname = ProviderJson.string(json, "hostname");
		if (hostname == null) {
			hostname = ProviderJson.string(json, "apk_package_name");
		}
		List<String> errorCodes = ProviderJson.strings(json, "error-codes");
		Instant timestamp;
		Double score;
		if (success) {
			try {
				ProviderJson.requireNoErrors(true, errorCodes);
				timestamp = ProviderJson.timestamp(json, "challenge_ts");
				score = ProviderJson.score(json, "score");
			}
			catch (UnusableAnswerException ex) {
				logger.warn("CAPTCHA siteverify answer refused as unusable: {}", ex.getMessage());
				return null;
			}
		}
		else {
			timestamp = ProviderJson.timestamp(ProviderJson.string(json, "challenge_ts"));
			score = ProviderJson.number(json, "score");
		}
		return new SiteverifyAnswer(success, errorCodes, hostname, ProviderJson.string(json, "action"),
				ProviderJson.string(json, "cdata"), timestamp, score);
	}

	/**
	 * Build the form every {@code siteverify}-style API takes: {@code secret},
	 * {@code response} and, when the client IP is known, {@code remoteip}. Callers add
	 * their provider's extra fields.
	 * @param secret the secret key
	 * @param request the verification request
	 * @return a mutable, ordered form
	 */
	public static Map<String, String> form(String secret, VerificationRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("secret", secret);
		form.put("response", request.token());
		if (request.clientIp() != null) {
			form.put("remoteip", request.clientIp());
		}
		return form;
	}

	/**
	 * Whether any of the codes was reported.
	 * @param codes the codes
	 * @return {@code true} if the answer carries one of them
	 */
	public boolean hasAny(String... codes) {
		for (String code : codes) {
			if (this.errorCodes.contains(code)) {
				return true;
			}
		}
		return false;
	}

}
