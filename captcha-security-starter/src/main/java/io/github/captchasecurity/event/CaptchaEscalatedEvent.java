package io.github.captchasecurity.event;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationResult;

/**
 * A verified request must solve a stronger challenge (score band, step-up after failures,
 * or a decision customizer).
 *
 * @since 0.1.0
 */
public class CaptchaEscalatedEvent extends CaptchaEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param result the result
	 * @param rule the rule
	 * @param context the context
	 */
	public CaptchaEscalatedEvent(VerificationResult result, CaptchaRule rule, VerificationContext context) {
		super(result, rule, context);
	}

}
