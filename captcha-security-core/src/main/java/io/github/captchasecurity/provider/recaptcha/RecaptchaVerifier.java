package io.github.captchasecurity.provider.recaptcha;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpResult;
import io.github.captchasecurity.provider.SiteverifyAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Google reCAPTCHA v2 and v3 tokens with the {@code siteverify} API: a form POST of {@code secret},
 * {@code response} and {@code remoteip}. v3 semantics (a score is required) apply when the request carries a
 * minimum score; the score and action checks themselves are made by the engine.
 * <p>
 * Error codes: {@code timeout-or-duplicate} maps to {@link VerificationOutcome#EXPIRED};
 * {@code missing-input-secret} and {@code invalid-input-secret} are a configuration fault on our side and map to
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE} (logged as an error); {@code missing-input-response},
 * {@code invalid-input-response}, {@code bad-request} and any unknown code map to
 * {@link VerificationOutcome#INVALID}. A timeout, connection failure, non-2xx status or a body that is not a
 * JSON object with a boolean {@code success} is {@link VerificationOutcome#PROVIDER_UNAVAILABLE}.
 *
 * @since 0.1.0
 */
public final class RecaptchaVerifier implements CaptchaVerifier {

	/** Google's siteverify endpoint. */
	public static final URI DEFAULT_VERIFY_URL = URI.create("https://www.google.com/recaptcha/api/siteverify");

	/** How long Google accepts a token. */
	public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);

	/** Google's public test secret: every token passes. */
	public static final String TEST_SECRET = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe";

	/** The form field Google's widget posts. */
	public static final String FORM_FIELD = "g-recaptcha-response";

	/**
	 * What type {@code recaptcha} is and supports: scored (v3; v2 answers carry no score), no token-length limit
	 * of its own, Google's public test secret.
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("recaptcha")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.scoring(ProviderCapabilities.Scoring.SCORED)
		.testSecrets(java.util.regex.Pattern.quote(TEST_SECRET))
		.build();


	private static final Logger logger = LoggerFactory.getLogger(RecaptchaVerifier.class);

	private final String name;

	private final URI verifyUrl;

	private final String secret;

	private final CaptchaHttpClient http;

	/**
	 * Create a verifier.
	 * @param name the provider name, for results and logs
	 * @param verifyUrl the siteverify URL, usually {@link #DEFAULT_VERIFY_URL}
	 * @param secret the secret key
	 * @param http the HTTP client
	 */
	public RecaptchaVerifier(String name, URI verifyUrl, String secret, CaptchaHttpClient http) {
		this.name = Objects.requireNonNull(name, "name");
		this.verifyUrl = Objects.requireNonNull(verifyUrl, "verifyUrl");
		this.secret = Objects.requireNonNull(secret, "secret");
		this.http = Objects.requireNonNull(http, "http");
		if (secret.isBlank()) {
			throw new IllegalArgumentException("secret cannot be blank");
		}
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		Map<String, String> form = SiteverifyAnswer.form(this.secret, request);
		SiteverifyAnswer answer;
		try {
			HttpResult result = this.http.postForm(this.verifyUrl, form, Map.of());
			if (!result.isSuccessful()) {
				logger.warn("reCAPTCHA provider '{}' answered HTTP {}", this.name, result.status());
				return unavailable();
			}
			answer = SiteverifyAnswer.parse(result);
		}
		catch (IOException ex) {
			logger.warn("reCAPTCHA provider '{}' could not be reached for token {}: {}", this.name,
					TokenDigest.shortHash(request.token()), ex.getMessage());
			return unavailable();
		}
		if (answer == null) {
			logger.warn("reCAPTCHA provider '{}' answered something that is not a siteverify response", this.name);
			return unavailable();
		}
		VerificationOutcome outcome = answer.success() ? VerificationOutcome.PASSED : outcomeOf(answer.errorCodes());
		if (outcome == VerificationOutcome.PROVIDER_UNAVAILABLE) {
			logger.error("reCAPTCHA provider '{}' rejected our secret ({}): check its 'secret' setting", this.name,
					answer.errorCodes());
		}
		return new VerificationResult(outcome, this.name, answer.score(), answer.action(), answer.hostname(),
				answer.challengeTimestamp(), answer.errorCodes());
	}

	@Override
	public boolean isTestMode() {
		return CAPABILITIES.isTestSecret(this.secret);
	}

	static VerificationOutcome outcomeOf(List<String> errorCodes) {
		if (errorCodes.contains("missing-input-secret") || errorCodes.contains("invalid-input-secret")) {
			return VerificationOutcome.PROVIDER_UNAVAILABLE;
		}
		if (errorCodes.contains("timeout-or-duplicate")) {
			return VerificationOutcome.EXPIRED;
		}
		return VerificationOutcome.INVALID;
	}

	private VerificationResult unavailable() {
		return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
	}

	@Override
	public String toString() {
		return "RecaptchaVerifier[name=" + this.name + ", verifyUrl=" + this.verifyUrl + "]";
	}

}
