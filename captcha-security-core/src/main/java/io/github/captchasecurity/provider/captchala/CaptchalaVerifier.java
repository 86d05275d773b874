package io.github.captchasecurity.provider.captchala;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * Verifies CaptchaLa pass tokens: a JSON POST of {@code pass_token} with the
 * {@code X-App-Key} and {@code X-App-Secret} headers; the answer is an envelope
 * {@code {"code", "msg", "data"}} where {@code code == 0} means the call worked and
 * {@code data.valid} (or {@code data.ok}) is the verdict.
 * <ul>
 * <li>{@code offline_} tokens are validated at the backup endpoint;</li>
 * <li>{@code client_} tokens cannot be verified server-side: rejected as
 * {@link VerificationOutcome#INVALID} unless the provider opts in with
 * {@code accept-client-only} (then accepted without a call);</li>
 * <li>{@code dg_} degraded tokens (quota exhausted: {@code valid} false, {@code degraded}
 * true) are rejected unless the provider opts in with {@code accept-degraded}.</li>
 * </ul>
 * On routes that require a server-issued challenge, the validated token must carry
 * ({@code data.uid}) the {@code bind_uid} that {@link CaptchalaChallengeClient#issueFor}
 * set for this client IP and action; degraded and client-only tokens never pass there.
 * <p>
 * A non-2xx status, a body that is not the envelope, or {@code code != 0} is
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE}. {@code data.error} codes are
 * rejections: those with a word naming expiry or reuse ({@code token_expired},
 * {@code already_used}, {@code duplicate}, ...) map to
 * {@link VerificationOutcome#EXPIRED}, any other to {@link VerificationOutcome#INVALID}.
 * A {@code valid} answer that cannot be believed (a duplicated key, a {@code data.error}
 * as well, an unreadable {@code captcha_args.solved_at}) is
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE}.
 *
 * @since 0.1.0
 */
public final class CaptchalaVerifier implements CaptchaVerifier {

	/** CaptchaLa's validate endpoint. */
	public static final URI DEFAULT_VERIFY_URL = URI.create("https://apiv1.captcha.la/v1/validate");

	/** CaptchaLa's backup endpoint for {@code offline_} tokens. */
	public static final URI DEFAULT_FALLBACK_URL = URI.create("https://fallbackapiv1.captchala.com/api/validate");

	/** Token lifetime assumed for replay protection (not documented by the provider). */
	public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

	/**
	 * The form field our pages use for CaptchaLa tokens (the provider documents none).
	 */
	public static final String FORM_FIELD = "captchala-token";

	/**
	 * What type {@code captchala} is and supports: unscored, server-issued challenges
	 * bound to a client.
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("captchala")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.serverChallenges()
		.build();

	private static final Logger logger = LoggerFactory.getLogger(CaptchalaVerifier.class);

	/** Words of a {@code data.error} code that name expiry or reuse. */
	private static final Set<String> EXPIRY_WORDS = Set.of("expire", "expired", "expiry", "timeout", "used", "reused",
			"duplicate", "dupe", "consumed");

	private final String name;

	private final URI verifyUrl;

	private final URI fallbackUrl;

	private final Map<String, String> headers;

	private final String appSecret;

	private final boolean acceptClientOnly;

	private final boolean acceptDegraded;

	private final CaptchaHttpClient http;

	/**
	 * Create a verifier.
	 * @param name the provider name
	 * @param verifyUrl the validate URL, usually {@link #DEFAULT_VERIFY_URL}
	 * @param fallbackUrl the backup URL for {@code offline_} tokens, usually
	 * {@link #DEFAULT_FALLBACK_URL}
	 * @param appKey the app key
	 * @param appSecret the app secret
	 * @param acceptClientOnly whether {@code client_} tokens pass without verification
	 * @param acceptDegraded whether degraded {@code dg_} tokens pass
	 * @param http the HTTP client
	 */
	public CaptchalaVerifier(String name, URI verifyUrl, URI fallbackUrl, String appKey, String appSecret,
			boolean acceptClientOnly, boolean acceptDegraded, CaptchaHttpClient http) {
		this.name = Objects.requireNonNull(name, "name");
		this.verifyUrl = Objects.requireNonNull(verifyUrl, "verifyUrl");
		this.fallbackUrl = Objects.requireNonNull(fallbackUrl, "fallbackUrl");
		this.headers = appHeaders(appKey, appSecret);
		this.appSecret = appSecret;
		this.acceptClientOnly = acceptClientOnly;
		this.acceptDegraded = acceptDegraded;
		this.http = Objects.requireNonNull(http, "http");
	}

	static Map<String, String> appHeaders(String appKey, String appSecret) {
		Objects.requireNonNull(appKey, "appKey");
		Objects.requireNonNull(appSecret, "appSecret");
		if (appKey.isBlank() || appSecret.isBlank()) {
			throw new IllegalArgumentException("appKey and appSecret cannot be blank");
		}
		return Map.of("X-App-Key", appKey, "X-App-Secret", appSecret);
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		String token = request.token();
		if (token.startsWith("client_")) {
			return (this.acceptClientOnly && !request.serverChallenge())
					? new VerificationResult(VerificationOutcome.PASSED, this.name, null, null, null, null,
							List.of("client-only"))
					: VerificationResult.of(VerificationOutcome.INVALID, this.name);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("pass_token", token);
		HttpResult result;
		try {
			result = this.http.postJson(token.startsWith("offline_") ? this.fallbackUrl : this.verifyUrl,
					ProviderJson.write(body), this.headers);
		}
		catch (IOException ex) {
			ProviderExchanges.failed(ex);
			logger.warn("CaptchaLa provider '{}' could not be reached for token {}: {}", this.name,
					TokenDigest.shortHash(token), ex.getMessage());
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
		}
		JsonNode data = envelopeData(result, this.name);
		if (data == null) {
			if (!result.isSuccessful()) {
				ProviderExchanges.answered(result.status());
			}
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
		}
		Boolean valid = ProviderJson.bool(data, "valid");
		if (valid == null) {
			valid = ProviderJson.bool(data, "ok");
		}
		boolean degraded = Boolean.TRUE.equals(ProviderJson.bool(data, "degraded"));
		String error = ProviderJson.string(data, "error");
		JsonNode args = data.get("captcha_args");
		boolean hasArgs = args != null && args.isObject();
		Instant solvedAt = null;
		if (Boolean.TRUE.equals(valid)) {
			try {
				ProviderJson.requireNoErrors(true, (error != null) ? List.of(error) : List.of());
				solvedAt = hasArgs ? ProviderJson.epochSeconds(args, "solved_at") : null;
			}
			catch (UnusableAnswerException ex) {
				logger.warn("CaptchaLa provider '{}' answered an unusable validation: {}", this.name, ex.getMessage());
				return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
			}
		}
		else if (hasArgs) {
			Double seconds = ProviderJson.number(args, "solved_at");
			solvedAt = (seconds != null) ? Instant.ofEpochSecond(seconds.longValue()) : null;
		}
		VerificationOutcome outcome;
		if (Boolean.TRUE.equals(valid)) {
			outcome = VerificationOutcome.PASSED;
		}
		else if (degraded) {
			outcome = (this.acceptDegraded && !request.serverChallenge()) ? VerificationOutcome.PASSED
					: VerificationOutcome.INVALID;
		}
		else {
			outcome = outcomeOf(error);
		}
		if (outcome.passed() && request.serverChallenge()) {
			// only a challenge this server issued for this client and action carries the
			// matching bind_uid
			String expected = CaptchalaBinding.uid(this.appSecret, request.clientIp(), request.expectedAction());
			if (!expected.equals(ProviderJson.string(data, "uid"))) {
				outcome = VerificationOutcome.INVALID;
			}
		}
		List<String> codes = (error != null) ? List.of(error) : (degraded ? List.of("degraded") : List.of());
		return new VerificationResult(outcome, this.name, null, ProviderJson.string(data, "action"), null, solvedAt,
				codes);
	}

	/**
	 * The {@code data} of a successful envelope, or null (logged) if the call did not
	 * work.
	 * @param result the HTTP result of the call
	 * @param name the provider name, for the log
	 * @return the envelope's data, or null
	 */
	static @Nullable JsonNode envelopeData(HttpResult result, String name) {
		if (!result.isSuccessful()) {
			logger.warn("CaptchaLa provider '{}' answered HTTP {}", name, result.status());
			return null;
		}
		JsonNode json = ProviderJson.parseObject(result.body());
		JsonNode code = (json != null) ? json.get("code") : null;
		if (json == null || code == null || !code.isIntegralNumber()) {
			logger.warn("CaptchaLa provider '{}' answered something that is not its envelope", name);
			return null;
		}
		if (!code.canConvertToLong() || code.longValue() != 0) {
			logger.error("CaptchaLa provider '{}' refused the call: code {} ({}); check app-key and app-secret", name,
					code, ProviderJson.string(json, "msg"));
			return null;
		}
		JsonNode data = json.get("data");
		return (data != null && data.isObject()) ? data : null;
	}

	static VerificationOutcome outcomeOf(@Nullable String error) {
		if (error != null) {
			for (String word : error.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
				if (EXPIRY_WORDS.contains(word)) {
					return VerificationOutcome.EXPIRED;
				}
			}
		}
		return VerificationOutcome.INVALID;
	}

	@Override
	public String toString() {
		return "CaptchalaVerifier[name=" + this.name + ", verifyUrl=" + this.verifyUrl + "]";
	}

}
