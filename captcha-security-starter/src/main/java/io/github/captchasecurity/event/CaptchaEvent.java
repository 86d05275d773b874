package io.github.captchasecurity.event;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;

import org.springframework.context.ApplicationEvent;

/**
 * A CAPTCHA decision, published as a Spring application event so applications can add
 * their own risk logic, metrics or audit logs. Carries the result (outcome, provider,
 * score, action), the route's rule and the request context (client IP, account); never
 * the token.
 *
 * @since 0.1.0
 */
public abstract class CaptchaEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient VerificationResult result;

	private final transient CaptchaRule rule;

	private final transient VerificationContext context;

	/**
	 * Create an event.
	 * @param result the result
	 * @param rule the rule
	 * @param context the context
	 */
	protected CaptchaEvent(VerificationResult result, CaptchaRule rule, VerificationContext context) {
		super(result);
		this.result = result;
		this.rule = rule;
		this.context = context;
	}

	/**
	 * Create the event matching a result's outcome.
	 * @param result the result
	 * @param rule the rule
	 * @param context the context
	 * @return the event
	 */
	public static CaptchaEvent of(VerificationResult result, CaptchaRule rule, VerificationContext context) {
		VerificationOutcome outcome = result.outcome();
		if (outcome.passed()) {
			return new CaptchaVerifiedEvent(result, rule, context);
		}
		if (outcome == VerificationOutcome.ESCALATION_REQUIRED) {
			return new CaptchaEscalatedEvent(result, rule, context);
		}
		if (outcome == VerificationOutcome.RATE_LIMITED) {
			return new CaptchaRateLimitedEvent(result, rule, context);
		}
		return new CaptchaRejectedEvent(result, rule, context);
	}

	/**
	 * Return the result.
	 * @return the result
	 */
	public VerificationResult getResult() {
		return this.result;
	}

	/**
	 * Return the route's rule.
	 * @return the rule
	 */
	public CaptchaRule getRule() {
		return this.rule;
	}

	/**
	 * Return what is known of the request (client IP, account, User-Agent).
	 * @return the context
	 */
	public VerificationContext getContext() {
		return this.context;
	}

}
