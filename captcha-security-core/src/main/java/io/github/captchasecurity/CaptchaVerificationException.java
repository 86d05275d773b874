package io.github.captchasecurity;

import java.util.Objects;

/**
 * Thrown, or handed to a failure handler (the servlet filter's
 * {@code CaptchaFailureHandler}), when a request fails CAPTCHA verification. The message
 * is the outcome's title and never contains the token.
 *
 * @since 0.1.0
 */
public class CaptchaVerificationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient VerificationResult result;

	/**
	 * Create an exception for a failed verification.
	 * @param result the result; its outcome must not be
	 * {@link VerificationOutcome#PASSED}
	 */
	public CaptchaVerificationException(VerificationResult result) {
		super(Objects.requireNonNull(result, "result").outcome().title());
		if (result.passed()) {
			throw new IllegalArgumentException("result must be a failure");
		}
		this.result = result;
	}

	/**
	 * Create an exception for a request that failed before any provider was chosen.
	 * @param outcome the outcome
	 */
	public CaptchaVerificationException(VerificationOutcome outcome) {
		this(VerificationResult.of(outcome, null));
	}

	/**
	 * Return the verification result.
	 * @return the result
	 */
	public VerificationResult getResult() {
		return this.result;
	}

	/**
	 * Return the outcome.
	 * @return the outcome
	 */
	public VerificationOutcome getOutcome() {
		return this.result.outcome();
	}

}
