package io.github.captchasecurity.provider.builtin;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A refused request to the built-in provider's API, with the HTTP status and stable code
 * to answer with. The message is safe to show to clients.
 *
 * @since 0.1.0
 */
public class BuiltinCaptchaException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Code of a request that is not understood (400). */
	public static final String BAD_REQUEST = "captcha_bad_request";

	/** Code of an unknown, expired or already used challenge (400). */
	public static final String CHALLENGE_INVALID = "captcha_challenge_invalid";

	/** Code of an unknown site key (403). */
	public static final String SITE_KEY_INVALID = "captcha_site_key_invalid";

	/** Code of a request over the hourly limit (429). */
	public static final String RATE_LIMITED = "captcha_rate_limited";

	private final int status;

	private final String code;

	private final transient @Nullable Duration retryAfter;

	/**
	 * Create an exception.
	 * @param status the HTTP status
	 * @param code the stable code
	 * @param detail the client-safe message
	 * @param retryAfter when to retry, or null
	 */
	public BuiltinCaptchaException(int status, String code, String detail, @Nullable Duration retryAfter) {
		super(detail);
		this.status = status;
		this.code = code;
		this.retryAfter = retryAfter;
	}

	static BuiltinCaptchaException badRequest(String detail) {
		return new BuiltinCaptchaException(400, BAD_REQUEST, detail, null);
	}

	/**
	 * Return the HTTP status.
	 * @return the status
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Return the stable code.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

	/**
	 * Return how long the client should wait before retrying.
	 * @return the duration, or null if retrying does not help
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

}
