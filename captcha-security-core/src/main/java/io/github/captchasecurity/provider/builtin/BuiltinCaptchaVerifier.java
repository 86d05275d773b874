package io.github.captchasecurity.provider.builtin;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;

/**
 * The {@link CaptchaVerifier} of the built-in provider: verifies pass tokens and
 * proof-of-work payloads locally, with no HTTP call.
 *
 * @since 0.1.0
 */
public final class BuiltinCaptchaVerifier implements CaptchaVerifier {

	/** The form field the widget fills. */
	public static final String FORM_FIELD = "captcha-token";

	/**
	 * What type {@code builtin} is and supports: unscored, challenges generated and
	 * checked by this application (so server-issued challenges and challenge types), a
	 * token lifetime of {@code captcha.builtin.token-ttl} (five minutes unless
	 * configured: see
	 * {@link ProviderCapabilities#withTokenLifetime(java.time.Duration)}).
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("builtin")
		.formField(FORM_FIELD)
		.tokenLifetime(Duration.ofMinutes(5))
		.serverChallenges()
		.selfHosted()
		.build();

	private final String name;

	private final BuiltinCaptchaService service;

	/**
	 * Create a verifier.
	 * @param name the provider name
	 * @param service the built-in service
	 */
	public BuiltinCaptchaVerifier(String name, BuiltinCaptchaService service) {
		this.name = Objects.requireNonNull(name, "name");
		this.service = Objects.requireNonNull(service, "service");
	}

	/**
	 * Return the challenge types this provider's site keys allow: the only ones a route
	 * or escalation may ask for.
	 * @return the types
	 */
	public Set<ChallengeType> challengeTypes() {
		return this.service.settings().challengeTypes();
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		return this.service.verify(this.name, request);
	}

	/**
	 * Check the signature and expiry of a pass token or proof-of-work payload, which
	 * needs no state.
	 * @param request the token
	 * @return the outcome of the local checks
	 */
	@Override
	public VerificationOutcome precheck(VerificationRequest request) {
		return this.service.precheck(request);
	}

	/**
	 * The built-in provider verifies in-process and never blocks, so it is not bounded by
	 * the bulkhead.
	 * @return {@code false}
	 */
	@Override
	public boolean isRemote() {
		return false;
	}

}
