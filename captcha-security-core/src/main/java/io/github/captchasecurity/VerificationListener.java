package io.github.captchasecurity;

/**
 * Told about every decision of the engine (passed, rejected, escalated, rate-limited),
 * for metrics, audit logs or application events. The result never contains the token.
 * Listeners must be fast and must not throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface VerificationListener {

	/**
	 * Called after each verification.
	 * @param rule the route's rule
	 * @param result the result
	 * @param context the request
	 */
	void onVerification(CaptchaRule rule, VerificationResult result, VerificationContext context);

}
