package io.github.captchasecurity;

/**
 * Application risk logic on top of the token check: may turn a pass into an escalation (a
 * new account, an unusual country, a suspicious amount). Consulted only for verified
 * tokens on routes that escalate ({@code escalate-to}), and not for tokens of the
 * escalation provider itself.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaDecisionCustomizer {

	/**
	 * Decide whether a verified request must solve the stronger challenge.
	 * @param rule the route's rule
	 * @param result the passed result (score, action, provider)
	 * @param context the request
	 * @return {@code true} to require the escalation provider
	 */
	boolean requireEscalation(CaptchaRule rule, VerificationResult result, VerificationContext context);

}
