package io.github.captchasecurity.provider.hcaptcha;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.jspecify.annotations.Nullable;

/**
 * Verifies hCaptcha tokens: a form POST of {@code secret}, {@code response},
 * {@code remoteip} and (when configured) {@code sitekey} to {@code siteverify}. hCaptcha
 * Enterprise's {@code score} runs the other way (1.0 = bot): the result's score is
 * normalized to {@code 1 - score} (1.0 = human), the raw one kept as {@code rawScore}.
 * <p>
 * Error codes: {@code expired-input-response} and {@code already-seen-response} map to
 * {@link VerificationOutcome#EXPIRED}; {@code missing-input-secret},
 * {@code invalid-input-secret}, {@code sitekey-secret-mismatch}, {@code invalid-sitekey},
 * {@code not-using-dummy-passcode}, {@code missing-remoteip} and {@code invalid-remoteip}
 * are configuration faults on our side and map to
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE} (logged as errors);
 * {@code invalid-input-response}, {@code missing-input-response}, {@code bad-request},
 * {@code not-using-dummy-secret}, the legacy {@code invalid-or-already-seen-response} and
 * any unknown code map to {@link VerificationOutcome#INVALID}.
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

	/**
	 * hCaptcha's test secret, used with its test site keys and their fixed test tokens.
	 */
	public static final String TEST_SECRET = "0x0000000000000000000000000000000000000000";

	/** The form field hCaptcha's widget posts. */
	public static final String FORM_FIELD = "h-captcha-response";

	/**
	 * What type {@code hcaptcha} is and supports: scored only with hCaptcha Enterprise
	 * (when a minimum score is configured), tokens of at most {@link #MAX_TOKEN_LENGTH}
	 * characters, the public test secret.
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("hcaptcha")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.maxTokenLength(MAX_TOKEN_LENGTH)
		.scoring(ProviderCapabilities.Scoring.OPTIONAL)
		.testSecrets(Pattern.quote(TEST_SECRET))
		.build();

	private static final Set<String> EXPIRED_CODES = Set.of("expired-input-response", "already-seen-response");

	private static final String[] CONFIGURATION_CODES = { "missing-input-secret", "invalid-input-secret",
			"sitekey-secret-mismatch", "invalid-sitekey", "not-using-dummy-passcode", "missing-remoteip",
			"invalid-remoteip" };

	private final String name;

	private final URI verifyUrl;

	private final String secret;

	private final @Nullable String siteKey;

	private final SiteverifyClient siteverify;

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
		this.siteverify = new SiteverifyClient("hCaptcha", name, verifyUrl, http, Set.of(CONFIGURATION_CODES),
				EXPIRED_CODES);
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
		SiteverifyAnswer answer = this.siteverify.exchange(form, request.token());
		if (answer == null) {
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
		}
		// hCaptcha Enterprise scores 1.0 as a bot: normalize, keep the raw score
		Double raw = answer.score();
		Double normalized = (raw != null) ? Math.max(0.0, Math.min(1.0, 1.0 - raw)) : null;
		return VerificationResult.builder(this.siteverify.outcomeOf(answer))
			.provider(this.name)
			.score(normalized)
			.action(null)
			.hostname(answer.hostname())
			.challengeTimestamp(answer.challengeTimestamp())
			.errorCodes(answer.errorCodes())
			.rawScore(raw)
			.build();
	}

	@Override
	public boolean isTestMode() {
		return CAPABILITIES.isTestSecret(this.secret);
	}

	/**
	 * hCaptcha has no actions: its answers never carry one.
	 * @return {@code false}
	 */
	@Override
	public boolean reportsActions() {
		return false;
	}

	static List<String> configurationCodes() {
		return List.of(CONFIGURATION_CODES);
	}

	@Override
	public String toString() {
		return "HcaptchaVerifier[name=" + this.name + ", verifyUrl=" + this.verifyUrl + "]";
	}

}
