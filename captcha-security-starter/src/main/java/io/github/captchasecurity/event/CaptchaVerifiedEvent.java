package io.github.captchasecurity.event;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationResult;

/**
 * A token was verified and the request goes on.
 *
 * @since 0.1.0
 */
public class CaptchaVerifiedEvent extends CaptchaEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param result the result
	 * @param rule the rule
	 * @param context the context
	 */
	public CaptchaVerifiedEvent(VerificationResult result, CaptchaRule rule, VerificationContext context) {
		super(result, rule, context);
	}

}
