package io.github.captchasecurity.store;

/**
 * Thrown by a store ({@link io.github.captchasecurity.replay.ReplayCache},
 * {@link io.github.captchasecurity.abuse.FailureCounter}, the built-in provider's
 * challenge store or rate limiter) that could not answer: its backend is unreachable,
 * failed, or took longer than allowed. The engine answers a verification that meets it
 * with {@code 503 captcha_store_unavailable} (or lets the request through when the store
 * is configured to fail open); the built-in endpoints answer it with
 * {@code 503 captcha_store_unavailable}.
 * <p>
 * Messages name the operation and the cause's type, never a key, token, answer or
 * address.
 *
 * @since 0.1.0
 */
public class CaptchaStoreException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param message what failed, without request data
	 * @param cause the backend's exception, or null
	 */
	public CaptchaStoreException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create the exception without a cause.
	 * @param message what failed, without request data
	 */
	public CaptchaStoreException(String message) {
		super(message);
	}

}
