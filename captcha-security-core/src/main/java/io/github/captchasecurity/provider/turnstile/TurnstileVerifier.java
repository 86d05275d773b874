package io.github.captchasecurity.provider.turnstile;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

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
 * Verifies Cloudflare Turnstile tokens: a form POST of {@code secret}, {@code response},
 * {@code remoteip} and a fresh {@code idempotency_key} (UUID) to {@code siteverify}. On a
 * connection failure, a timeout or {@code internal-error}, it retries once with the same
 * idempotency key, so Cloudflare answers the retry as the original verification instead
 * of as a duplicate; Turnstile is the only provider where a retry is safe. The action is
 * checked by the engine; {@code cdata}, when configured, must match exactly.
 * <p>
 * Error codes: {@code timeout-or-duplicate} maps to {@link VerificationOutcome#EXPIRED};
 * {@code missing-input-secret} and {@code invalid-input-secret} to
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE} (logged as errors), as does
 * {@code internal-error} after the retry; everything else to
 * {@link VerificationOutcome#INVALID}.
 *
 * @since 0.1.0
 */
public final class TurnstileVerifier implements CaptchaVerifier {

	/** Cloudflare's siteverify endpoint. */
	public static final URI DEFAULT_VERIFY_URL = URI
		.create("https://challenges.cloudflare.com/turnstile/v0/siteverify");

	/** How long a token is valid. */
	public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(300);

	/** The longest token Turnstile issues. */
	public static final int MAX_TOKEN_LENGTH = 2048;

	/** The dummy token Turnstile's test site keys produce and its test secrets accept. */
	public static final String DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

	/** The form field Turnstile's widget posts. */
	public static final String FORM_FIELD = "cf-turnstile-response";

	/**
	 * What type {@code turnstile} is and supports: unscored, tokens of at most
	 * {@link #MAX_TOKEN_LENGTH} characters, Cloudflare's test secrets ({@code 1x…AA}
	 * always passes, {@code 2x…AA} always fails, {@code 3x…AA} answers "already spent").
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("turnstile")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.maxTokenLength(MAX_TOKEN_LENGTH)
		.testSecrets("[123]x0000000000000000000000000000000AA")
		.build();

	private static final Set<String> CONFIGURATION_CODES = Set.of("missing-input-secret", "invalid-input-secret");

	private static final Set<String> EXPIRED_CODES = Set.of("timeout-or-duplicate");

	/** Cloudflare's transient fault, retried once with the same idempotency key. */
	private static final List<String> RETRY_CODES = List.of("internal-error");

	private final String name;

	private final URI verifyUrl;

	private final String secret;

	private final @Nullable String cdata;

	private final SiteverifyClient siteverify;

	/**
	 * Create a verifier.
	 * @param name the provider name
	 * @param verifyUrl the siteverify URL, usually {@link #DEFAULT_VERIFY_URL}
	 * @param secret the secret
	 * @param cdata the customer data the token must carry, or null if not checked
	 * @param http the HTTP client
	 */
	public TurnstileVerifier(String name, URI verifyUrl, String secret, @Nullable String cdata,
			CaptchaHttpClient http) {
		this.name = Objects.requireNonNull(name, "name");
		this.verifyUrl = Objects.requireNonNull(verifyUrl, "verifyUrl");
		this.secret = Objects.requireNonNull(secret, "secret");
		this.cdata = cdata;
		this.siteverify = new SiteverifyClient("Turnstile", name, verifyUrl, http, CONFIGURATION_CODES, EXPIRED_CODES);
		if (secret.isBlank()) {
			throw new IllegalArgumentException("secret cannot be blank");
		}
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		Map<String, String> form = SiteverifyAnswer.form(this.secret, request);
		form.put("idempotency_key", UUID.randomUUID().toString());
		SiteverifyAnswer answer = this.siteverify.exchange(form, request.token(), 2, RETRY_CODES);
		if (answer == null) {
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
		}
		VerificationOutcome outcome = this.siteverify.outcomeOf(answer);
		if (outcome.passed() && this.cdata != null && !isTestMode() && !this.cdata.equals(answer.cdata())) {
			outcome = VerificationOutcome.INVALID;
		}
		return VerificationResult.builder(outcome)
			.provider(this.name)
			.action(answer.action())
			.hostname(answer.hostname())
			.challengeTimestamp(answer.challengeTimestamp())
			.errorCodes(answer.errorCodes())
			.build();
	}

	/**
	 * Whether the secret is one of Cloudflare's test secrets ({@code 1x…AA} always
	 * passes, {@code 2x…AA} always fails, {@code 3x…AA} answers "already spent").
	 */
	@Override
	public boolean isTestMode() {
		return CAPABILITIES.isTestSecret(this.secret);
	}

	@Override
	public String toString() {
		return "TurnstileVerifier[name=" + this.name + ", verifyUrl=" + this.verifyUrl + "]";
	}

}
