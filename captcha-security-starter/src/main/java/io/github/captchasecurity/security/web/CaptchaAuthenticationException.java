package io.github.captchasecurity.security.web;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.VerificationOutcome;

import org.springframework.security.core.AuthenticationException;

/**
 * A login refused because its CAPTCHA failed, handed to the login form's
 * {@link org.springframework.security.web.authentication.AuthenticationFailureHandler}
 * like any failed login. The message is the outcome's title, in the client's language
 * when the {@link SecurityCaptchaFailureHandler} has messages; {@link #getOutcome()}
 * tells which check failed.
 *
 * @since 0.1.0
 */
public class CaptchaAuthenticationException extends AuthenticationException {

	private static final long serialVersionUID = 1L;

	private final VerificationOutcome outcome;

	/**
	 * Create an exception.
	 * @param cause the CAPTCHA failure
	 */
	public CaptchaAuthenticationException(CaptchaVerificationException cause) {
		this(cause.getOutcome().title(), cause);
	}

	/**
	 * Create an exception with a message of its own, such as the outcome's title in the
	 * client's language.
	 * @param message the message
	 * @param cause the CAPTCHA failure
	 * @since 0.1.0
	 */
	public CaptchaAuthenticationException(String message, CaptchaVerificationException cause) {
		super(message, cause);
		this.outcome = cause.getOutcome();
	}

	/**
	 * Return the outcome.
	 * @return the outcome, such as {@link VerificationOutcome#MISSING}
	 */
	public VerificationOutcome getOutcome() {
		return this.outcome;
	}

}
