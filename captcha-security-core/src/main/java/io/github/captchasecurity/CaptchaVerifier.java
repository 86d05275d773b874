package io.github.captchasecurity;

/**
 * Provider SPI: asks one CAPTCHA provider whether a token is good.
 * <p>
 * An implementation reports the provider's own verdict:
 * {@link VerificationOutcome#PASSED} when the provider says the token is valid, otherwise
 * the outcome its error codes map to, and
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE} when the provider could not be asked
 * or gave an unreadable answer. It never throws for a bad token or an unknown error code.
 * The checks common to every provider (hostname, action, score, age) are made afterwards
 * by {@link CaptchaVerificationService} on the reported facts; an implementation only
 * needs the expectations of the request when the provider takes them as input.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaVerifier {

	/**
	 * Verify a token with the provider.
	 * @param request the token and what is expected of it
	 * @return the provider's verdict and the facts it reported, never null
	 */
	VerificationResult verify(VerificationRequest request);

	/**
	 * Check locally, cheaply and without spending the token, what can be checked before
	 * the replay cache takes an entry for it: a signature, an expiry. The engine calls it
	 * before {@link #verify(VerificationRequest)}; a token refused here never takes a
	 * replay-cache entry, so forged tokens cannot crowd out consumed ones. It must not
	 * call the provider and must not mark the token used. The default checks nothing.
	 * @param request the token and what is expected of it
	 * @return {@link VerificationOutcome#PASSED} to go on, or the rejection
	 * ({@link VerificationOutcome#INVALID}, {@link VerificationOutcome#EXPIRED}, ...);
	 * never null
	 * @since 0.1.0
	 */
	default VerificationOutcome precheck(VerificationRequest request) {
		return VerificationOutcome.PASSED;
	}

	/**
	 * Whether {@link #verify(VerificationRequest)} calls a remote service and may
	 * therefore block. Calls of remote verifiers are bounded by the engine's bulkhead
	 * ({@code captcha.http.max-concurrent-verifications}); the excess is answered
	 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE} at once instead of holding a
	 * thread. Verifiers that answer in-process without blocking (the built-in provider)
	 * return {@code false} and are not bounded.
	 * @return {@code true} by default
	 * @since 0.1.0
	 */
	default boolean isRemote() {
		return true;
	}

	/**
	 * Whether the verifier uses the provider's official test credentials, under which
	 * every token (or one fixed dummy token) passes. The engine then skips its local
	 * replay check and the hostname and action checks, so a test suite can reuse the
	 * fixed test tokens, whose answers carry fixed hostnames and actions; nothing is
	 * protected in test mode anyway.
	 * @return {@code true} with test credentials; {@code false} by default
	 */
	default boolean isTestMode() {
		return false;
	}

	/**
	 * Whether the provider's answers can carry the action a token was solved for. A rule
	 * that expects an action rejects every token whose answer carries none
	 * ({@link VerificationOutcome#ACTION_MISMATCH}); for a provider that never reports an
	 * action (hCaptcha, Friendly Captcha) such a rule could never pass, so the starter
	 * refuses it at start-up instead.
	 * @return {@code true} by default
	 * @since 0.1.0
	 */
	default boolean reportsActions() {
		return true;
	}

}
