package io.github.captchasecurity.event;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationResult;

/**
 * A request was rejected (missing, malformed, invalid, replayed, expired token, or a
 * check failed, or the provider was unavailable).
 *
 * @since 0.1.0
 */
public class CaptchaRejectedEvent extends CaptchaEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param result the result
	 * @param rule the rule
	 * @param context the context
	 */
	public CaptchaRejectedEvent(VerificationResult result, CaptchaRule rule, VerificationContext context) {
		super(result, rule, context);
	}

}
