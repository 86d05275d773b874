package io.github.captchasecurity.event;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationResult;

/**
 * A request was refused because its client IP or account failed too often.
 *
 * @since 0.1.0
 */
public class CaptchaRateLimitedEvent extends CaptchaEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param result the result
	 * @param rule the rule
	 * @param context the context
	 */
	public CaptchaRateLimitedEvent(VerificationResult result, CaptchaRule rule, VerificationContext context) {
		super(result, rule, context);
	}

}
