package io.github.captchasecurity.provider;

/**
 * A provider answer that was read but cannot be believed: a score outside 0.0..1.0, an
 * unreadable timestamp, a pass reported together with error codes. Verifiers answer it
 * with {@link io.github.captchasecurity.VerificationOutcome#PROVIDER_UNAVAILABLE}, never
 * with a pass. The message names the member, never its value.
 *
 * @since 0.1.0
 */
public final class UnusableAnswerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param reason what is wrong with the answer, without values from it
	 */
	public UnusableAnswerException(String reason) {
		super(reason);
	}

}
