package io.github.captchasecurity.provider;

import java.time.Instant;
import java.util.List;

import io.github.captchasecurity.http.HttpResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The answer of a {@code siteverify}-style API (reCAPTCHA, hCaptcha, Turnstile): {@code success},
 * {@code error-codes}, {@code hostname}, {@code action}, {@code cdata}, {@code challenge_ts}, {@code score}.
 * Read leniently: unknown members are ignored, members of the wrong type read as absent. Immutable.
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

	/**
	 * Read an HTTP answer.
	 * @param result the HTTP answer
	 * @return the answer, or null if the status is not 2xx or the body is not a JSON object with a boolean
	 * {@code success}
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
		return new SiteverifyAnswer(success, ProviderJson.strings(json, "error-codes"), hostname,
				ProviderJson.string(json, "action"), ProviderJson.string(json, "cdata"),
				ProviderJson.timestamp(ProviderJson.string(json, "challenge_ts")), ProviderJson.number(json, "score"));
	}

	/**
	 * Build the form every {@code siteverify}-style API takes: {@code secret}, {@code response} and, when the
	 * client IP is known, {@code remoteip}. Callers add their provider's extra fields.
	 * @param secret the secret key
	 * @param request the verification request
	 * @return a mutable, ordered form
	 */
	public static java.util.Map<String, String> form(String secret, io.github.captchasecurity.VerificationRequest request) {
		java.util.Map<String, String> form = new java.util.LinkedHashMap<>();
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
