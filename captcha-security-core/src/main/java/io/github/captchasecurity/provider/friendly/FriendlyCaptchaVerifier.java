package io.github.captchasecurity.provider.friendly;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderExchanges;
import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpResult;
import io.github.captchasecurity.provider.ProviderJson;
import io.github.captchasecurity.provider.UnusableAnswerException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Verifies Friendly Captcha v2 responses: a JSON POST of {@code {"response", "sitekey"}}
 * with the {@code X-API-Key} header. A 200 with {@code success: true} passes (hostname
 * from {@code data.challenge.origin}, time from {@code data.challenge.timestamp}); a 200
 * with {@code success: false} is a rejection by {@code error.error_code}:
 * {@code response_timeout} and {@code response_duplicate} map to
 * {@link VerificationOutcome#EXPIRED}, others to {@link VerificationOutcome#INVALID}. 400
 * and 401 answers are configuration errors ({@code auth_required}, {@code auth_invalid},
 * {@code sitekey_invalid}, ...): logged as such and answered with
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE}, like any other failure to ask, and
 * like a {@code success: true} that cannot be believed (a duplicated key, an
 * {@code error} member, an unreadable {@code data.challenge.timestamp}).
 *
 * @since 0.1.0
 */
public final class FriendlyCaptchaVerifier implements CaptchaVerifier {

	/**
	 * Friendly Captcha's global v2 endpoint
	 * ({@code https://eu.frcapi.com/api/v2/captcha/siteverify} in the EU).
	 */
	public static final URI DEFAULT_VERIFY_URL = URI.create("https://global.frcapi.com/api/v2/captcha/siteverify");

	/** Token lifetime assumed for replay protection (not documented by the provider). */
	public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);

	/** The longest response accepted by the API: 16 KB. */
	public static final int MAX_TOKEN_LENGTH = 16 * 1024;

	/** The form field Friendly Captcha's widget posts. */
	public static final String FORM_FIELD = "frc-captcha-response";

	/**
	 * What type {@code friendly-captcha} is and supports: unscored, tokens of at most
	 * {@link #MAX_TOKEN_LENGTH} characters.
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("friendly-captcha")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.maxTokenLength(MAX_TOKEN_LENGTH)
		.build();

	private static final Logger logger = LoggerFactory.getLogger(FriendlyCaptchaVerifier.class);

	private final String name;

	private final URI verifyUrl;

	private final @Nullable String siteKey;

	private final Map<String, String> headers;

	private final CaptchaHttpClient http;

	/**
	 * Create a verifier.
	 * @param name the provider name
	 * @param verifyUrl the siteverify URL, usually {@link #DEFAULT_VERIFY_URL}
	 * @param apiKey the API key
	 * @param siteKey the site key the puzzle must come from, or null
	 * @param http the HTTP client
	 */
	public FriendlyCaptchaVerifier(String name, URI verifyUrl, String apiKey, @Nullable String siteKey,
			CaptchaHttpClient http) {
		this.name = Objects.requireNonNull(name, "name");
		this.verifyUrl = Objects.requireNonNull(verifyUrl, "verifyUrl");
		Objects.requireNonNull(apiKey, "apiKey");
		if (apiKey.isBlank()) {
			throw new IllegalArgumentException("apiKey cannot be blank");
		}
		this.headers = Map.of("X-API-Key", apiKey, "Frc-Sdk", "captcha-security@0.1.0");
		this.siteKey = siteKey;
		this.http = Objects.requireNonNull(http, "http");
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("response", request.token());
		if (this.siteKey != null) {
			body.put("sitekey", this.siteKey);
		}
		HttpResult result;
		try {
			result = this.http.postJson(this.verifyUrl, ProviderJson.write(body), this.headers);
		}
		catch (IOException ex) {
			ProviderExchanges.failed(ex);
			logger.warn("Friendly Captcha provider '{}' could not be reached for token {}: {}", this.name,
					TokenDigest.shortHash(request.token()), ex.getMessage());
			return unavailable();
		}
		JsonNode json = ProviderJson.parseObject(result.body());
		if (result.status() != 200) {
			ProviderExchanges.answered(result.status());
		}
		if (result.status() == 400 || result.status() == 401) {
			logger.error(
					"Friendly Captcha provider '{}' reports a configuration error (HTTP {}, {}): check its "
							+ "api-key and site-key",
					this.name, result.status(), (json != null) ? errorCode(json) : null);
			return unavailable();
		}
		Boolean success = (json != null) ? ProviderJson.bool(json, "success") : null;
		if (result.status() != 200 || json == null || success == null) {
			logger.warn("Friendly Captcha provider '{}' answered HTTP {} without a siteverify body", this.name,
					result.status());
			return unavailable();
		}
		if (!success) {
			String code = errorCode(json);
			VerificationOutcome outcome = ("response_timeout".equals(code) || "response_duplicate".equals(code))
					? VerificationOutcome.EXPIRED : VerificationOutcome.INVALID;
			return new VerificationResult(outcome, this.name, null, null, null, null,
					(code != null) ? List.of(code) : List.of());
		}
		JsonNode data = json.get("data");
		JsonNode challenge = (data != null && data.isObject()) ? data.get("challenge") : null;
		String origin = null;
		Instant timestamp = null;
		try {
			JsonNode error = json.get("error");
			ProviderJson.requireNoErrors(true,
					(error != null && !error.isNull()) ? List.of(String.valueOf(errorCode(json))) : List.of());
			if (challenge != null && challenge.isObject()) {
				origin = hostOf(ProviderJson.string(challenge, "origin"));
				timestamp = ProviderJson.timestamp(challenge, "timestamp");
			}
		}
		catch (UnusableAnswerException ex) {
			logger.warn("Friendly Captcha provider '{}' answered an unusable siteverify body: {}", this.name,
					ex.getMessage());
			return unavailable();
		}
		return new VerificationResult(VerificationOutcome.PASSED, this.name, null, null, origin, timestamp, List.of());
	}

	private static @Nullable String errorCode(JsonNode json) {
		JsonNode error = json.get("error");
		return (error != null && error.isObject()) ? ProviderJson.string(error, "error_code") : null;
	}

	/**
	 * The host of an origin given as {@code example.com} or
	 * {@code https://example.com:8443}; null if empty.
	 * @param origin the origin, or null
	 * @return the host, or null
	 */
	static @Nullable String hostOf(@Nullable String origin) {
		if (origin == null || origin.isBlank()) {
			return null;
		}
		String host = origin.trim();
		int scheme = host.indexOf("://");
		if (scheme >= 0) {
			host = host.substring(scheme + 3);
		}
		int end = 0;
		while (end < host.length() && "/:?#".indexOf(host.charAt(end)) < 0) {
			end++;
		}
		return host.substring(0, end);
	}

	/**
	 * Friendly Captcha's siteverify answer carries no action.
	 * @return {@code false}
	 */
	@Override
	public boolean reportsActions() {
		return false;
	}

	private VerificationResult unavailable() {
		return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
	}

	@Override
	public String toString() {
		return "FriendlyCaptchaVerifier[name=" + this.name + ", verifyUrl=" + this.verifyUrl + "]";
	}

}
