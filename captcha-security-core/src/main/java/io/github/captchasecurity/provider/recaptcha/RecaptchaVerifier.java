package io.github.captchasecurity.provider.recaptcha;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.provider.SiteverifyAnswer;
import io.github.captchasecurity.provider.SiteverifyClient;

/**
 * Verifies Google reCAPTCHA v2 and v3 tokens with the {@code siteverify} API: a form POST
 * of {@code secret}, {@code response} and {@code remoteip}. v3 semantics (a score is
 * required) apply when the request carries a minimum score; the score and action checks
 * themselves are made by the engine.
 * <p>
 * Error codes: {@code timeout-or-duplicate} maps to {@link VerificationOutcome#EXPIRED};
 * {@code missing-input-secret} and {@code invalid-input-secret} are a configuration fault
 * on our side and map to {@link VerificationOutcome#PROVIDER_UNAVAILABLE} (logged as an
 * error); {@code missing-input-response}, {@code invalid-input-response},
 * {@code bad-request} and any unknown code map to {@link VerificationOutcome#INVALID}. A
 * timeout, connection failure, non-2xx status or a body that is not a JSON object with a
 * boolean {@code success} is {@link VerificationOutcome#PROVIDER_UNAVAILABLE}.
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
	 * What type {@code recaptcha} is and supports: scored (v3; v2 answers carry no
	 * score), no token-length limit of its own, Google's public test secret.
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("recaptcha")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.scoring(ProviderCapabilities.Scoring.SCORED)
		.testSecrets(Pattern.quote(TEST_SECRET))
		.build();

	private static final Set<String> CONFIGURATION_CODES = Set.of("missing-input-secret", "invalid-input-secret");

	private static final Set<String> EXPIRED_CODES = Set.of("timeout-or-duplicate");

	private final String name;

	private final URI verifyUrl;

	private final String secret;

	private final SiteverifyClient siteverify;

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
		this.siteverify = new SiteverifyClient("reCAPTCHA", name, verifyUrl, http, CONFIGURATION_CODES, EXPIRED_CODES);
		if (secret.isBlank()) {
			throw new IllegalArgumentException("secret cannot be blank");
		}
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		SiteverifyAnswer answer = this.siteverify.exchange(SiteverifyAnswer.form(this.secret, request),
				request.token());
		if (answer == null) {
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
		}
		return VerificationResult.builder(this.siteverify.outcomeOf(answer))
			.provider(this.name)
			.score(answer.score())
			.action(answer.action())
			.hostname(answer.hostname())
			.challengeTimestamp(answer.challengeTimestamp())
			.errorCodes(answer.errorCodes())
			.build();
	}

	@Override
	public boolean isTestMode() {
		return CAPABILITIES.isTestSecret(this.secret);
	}

	@Override
	public String toString() {
		return "RecaptchaVerifier[name=" + this.name + ", verifyUrl=" + this.verifyUrl + "]";
	}

}
