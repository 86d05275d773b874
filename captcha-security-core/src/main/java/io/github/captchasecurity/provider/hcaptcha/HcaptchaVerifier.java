package io.github.captchasecurity.provider.hcaptcha;

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
import io.github.captchasecurity.provider.SiteverifyAnswer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies hCaptcha tokens: a form POST of {@code secret}, {@code response}, {@code remoteip} and (when configured)
 * {@code sitekey} to {@code siteverify}. hCaptcha Enterprise's {@code score} runs the other way (1.0 = bot): the
 * result's score is normalized to {@code 1 - score} (1.0 = human), the raw one kept as {@code rawScore}.
 * <p>
 * Error codes: {@code expired-input-response} and {@code already-seen-response} map to
 * {@link VerificationOutcome#EXPIRED}; {@code missing-input-secret}, {@code invalid-input-secret},
 * {@code sitekey-secret-mismatch}, {@code invalid-sitekey}, {@code not-using-dummy-passcode},
 * {@code missing-remoteip} and {@code invalid-remoteip} are configuration faults on our side and map to
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE} (logged as errors); {@code invalid-input-response},
 * {@code missing-input-response}, {@code bad-request}, {@code not-using-dummy-secret}, the legacy
 * {@code invalid-or-already-seen-response} and any unknown code map to {@link VerificationOutcome#INVALID}.
 *
 * @since 0.1.0
 */
public final class HcaptchaVerifier implements CaptchaVerifier {

	/** hCaptcha's siteverify endpoint. */
	public static final URI DEFAULT_VERIFY_URL = URI.create("https://api.hcaptcha.com/siteverify");

	/** Default token lifetime. */
	public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(120);

	/** Tokens longer than 4,000 characters have been seen: do not cap below 32 KiB. */
	public static final int MAX_TOKEN_LENGTH = 32 * 1024;

	/** hCaptcha's test secret, used with its test site keys and their fixed test tokens. */
	public static final String TEST_SECRET = "0x0000000000000000000000000000000000000000";

	/** The form field hCaptcha's widget posts. */
	public static final String FORM_FIELD = "h-captcha-response";

	/**
	 * What type {@code hcaptcha} is and supports: scored only with hCaptcha Enterprise (when a minimum score is
	 * configured), tokens of at most {@link #MAX_TOKEN_LENGTH} characters, the public test secret.
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("hcaptcha")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.maxTokenLength(MAX_TOKEN_LENGTH)
		.scoring(ProviderCapabilities.Scoring.OPTIONAL)
		.testSecrets(java.util.regex.Pattern.quote(TEST_SECRET))
		.build();


	private static final Logger logger = LoggerFactory.getLogger(HcaptchaVerifier.class);

	private static final String[] CONFIGURATION_CODES = { "missing-input-secret", "invalid-input-secret",
			"sitekey-secret-mismatch", "invalid-sitekey", "not-using-dummy-passcode", "missing-remoteip",
			"invalid-remoteip" };

	private final String name;

	private final URI verifyUrl;

	private final String secret;

	private final @Nullable String siteKey;

	private final CaptchaHttpClient http;

	/**
	 * Create a verifier.
	 * @param name the provider name
	 * @param verifyUrl the siteverify URL, usually {@link #DEFAULT_VERIFY_URL}
	 * @param secret the secret
	 * @param siteKey the expected site key (sent as {@code sitekey}), or null
	 * @param http the HTTP client
	 */
	public HcaptchaVerifier(String name, URI verifyUrl, String secret, @Nullable String siteKey,
			CaptchaHttpClient http) {
		this.name = Objects.requireNonNull(name, "name");
		this.verifyUrl = Objects.requireNonNull(verifyUrl, "verifyUrl");
		this.secret = Objects.requireNonNull(secret, "secret");
		this.siteKey = siteKey;
		this.http = Objects.requireNonNull(http, "http");
		if (secret.isBlank()) {
			throw new IllegalArgumentException("secret cannot be blank");
		}
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		Map<String, String> form = SiteverifyAnswer.form(this.secret, request);
		if (this.siteKey != null) {
			form.put("sitekey", this.siteKey);
		}
		SiteverifyAnswer answer;
		try {
			answer = SiteverifyAnswer.parse(this.http.postForm(this.verifyUrl, form, Map.of()));
		}
		catch (IOException ex) {
			logger.warn("hCaptcha provider '{}' could not be reached for token {}: {}", this.name,
					TokenDigest.shortHash(request.token()), ex.getMessage());
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
		}
		if (answer == null) {
			logger.warn("hCaptcha provider '{}' answered something that is not a siteverify response", this.name);
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
		}
		VerificationOutcome outcome = answer.success() ? VerificationOutcome.PASSED : outcomeOf(answer);
		if (outcome == VerificationOutcome.PROVIDER_UNAVAILABLE) {
			logger.error("hCaptcha provider '{}' reports a configuration fault {}: check its secret and site-key",
					this.name, answer.errorCodes());
		}
		Double raw = answer.score();
		Double normalized = (raw != null) ? Math.max(0.0, Math.min(1.0, 1.0 - raw)) : null;
		return new VerificationResult(outcome, this.name, normalized, null, answer.hostname(),
				answer.challengeTimestamp(), answer.errorCodes(), raw);
	}

	@Override
	public boolean isTestMode() {
		return CAPABILITIES.isTestSecret(this.secret);
	}

	static VerificationOutcome outcomeOf(SiteverifyAnswer answer) {
		if (answer.hasAny(CONFIGURATION_CODES)) {
			return VerificationOutcome.PROVIDER_UNAVAILABLE;
		}
		if (answer.hasAny("expired-input-response", "already-seen-response")) {
			return VerificationOutcome.EXPIRED;
		}
		return VerificationOutcome.INVALID;
	}

	static List<String> configurationCodes() {
		return List.of(CONFIGURATION_CODES);
	}

	@Override
	public String toString() {
		return "HcaptchaVerifier[name=" + this.name + ", verifyUrl=" + this.verifyUrl + "]";
	}

}
