package io.github.captchasecurity.provider.builtin;

import java.time.Duration;
import java.util.Locale;

import io.github.captchasecurity.message.CaptchaMessages;
import org.jspecify.annotations.Nullable;

/**
 * A refused request to the built-in provider's API, with the HTTP status and stable code
 * to answer with. The message (English) is safe to show to clients; the endpoint answers
 * with {@link #getDetail(CaptchaMessages, Locale)} in the client's language.
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

	/** Prefix of the {@link CaptchaMessages} keys of the API's error details. */
	static final String API_PREFIX = "captcha.api.";

	private final int status;

	private final String code;

	private final transient @Nullable Duration retryAfter;

	private final @Nullable String messageKey;

	private final String[] messageArgs;

	/**
	 * Create an exception.
	 * @param status the HTTP status
	 * @param code the stable code
	 * @param detail the client-safe message
	 * @param retryAfter when to retry, or null
	 */
	public BuiltinCaptchaException(int status, String code, String detail, @Nullable Duration retryAfter) {
		this(status, code, detail, retryAfter, null, new String[0]);
	}

	private BuiltinCaptchaException(int status, String code, String detail, @Nullable Duration retryAfter,
			@Nullable String messageKey, String[] messageArgs) {
		super(detail);
		this.status = status;
		this.code = code;
		this.retryAfter = retryAfter;
		this.messageKey = messageKey;
		this.messageArgs = messageArgs.clone();
	}

	/**
	 * Create an exception whose detail is the {@link CaptchaMessages} text
	 * {@code captcha.api.<name>}; its message is the English text.
	 * @param status the HTTP status
	 * @param code the stable code
	 * @param retryAfter when to retry, or null
	 * @param name the name of the text under {@code captcha.api.}, such as
	 * {@code site-key-invalid}
	 * @param args the text's arguments
	 * @return the exception
	 * @since 0.1.0
	 */
	public static BuiltinCaptchaException of(int status, String code, @Nullable Duration retryAfter, String name,
			String... args) {
		String key = API_PREFIX + name;
		return new BuiltinCaptchaException(status, code,
				CaptchaMessages.bundled().message(key, Locale.ENGLISH, (Object[]) args), retryAfter, key, args);
	}

	/**
	 * Create a {@code 400 captcha_bad_request} whose detail is the text
	 * {@code captcha.api.<name>}.
	 * @param name the name of the text under {@code captcha.api.}
	 * @param args the text's arguments
	 * @return the exception
	 * @since 0.1.0
	 */
	public static BuiltinCaptchaException badRequest(String name, String... args) {
		return of(400, BAD_REQUEST, null, name, args);
	}

	/**
	 * Return the detail in a language: the {@link CaptchaMessages} text of this
	 * exception, else its message.
	 * @param messages the texts
	 * @param locale the language
	 * @return the detail
	 * @since 0.1.0
	 */
	public String getDetail(CaptchaMessages messages, Locale locale) {
		String message = getMessage();
		return (this.messageKey != null) ? messages.message(this.messageKey, locale, (Object[]) this.messageArgs)
				: (message != null) ? message : "";
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
