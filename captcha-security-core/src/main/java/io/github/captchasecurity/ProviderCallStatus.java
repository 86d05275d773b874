package io.github.captchasecurity;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * How one call to a remote provider ended, as reported to {@link ProviderCallListener}s.
 * Each has a stable, low-cardinality {@link #tag() tag}.
 *
 * @since 0.1.0
 */
public enum ProviderCallStatus {

	/** The provider answered and passed the token. */
	SUCCESS("success"),

	/** The provider answered and did not pass the token (invalid, expired, ...). */
	REJECTED("rejected"),

	/** No answer in time (connect or response timeout, or the exchange deadline). */
	TIMEOUT("timeout"),

	/** The provider could not be connected to (refused, unknown host, reset). */
	CONNECT_ERROR("connect-error"),

	/** The provider answered with a 5xx status. */
	HTTP_5XX("http-5xx"),

	/**
	 * The provider answered something unusable: another error status, a body that is not
	 * its answer, a configuration fault it reports (a bad secret).
	 */
	BAD_ANSWER("bad-answer");

	private final String tag;

	ProviderCallStatus(String tag) {
		this.tag = tag;
	}

	/**
	 * Return the stable tag, such as {@code connect-error}.
	 * @return the tag
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * Classify a failed exchange: {@link #TIMEOUT} for interrupted I/O (socket, connect
	 * and deadline timeouts), {@link #CONNECT_ERROR} for socket errors and unknown hosts,
	 * else {@link #BAD_ANSWER} (such as an answer too large to read).
	 * @param failure what the HTTP client threw
	 * @return the status
	 */
	public static ProviderCallStatus of(IOException failure) {
		if (failure instanceof InterruptedIOException) {
			return TIMEOUT;
		}
		if (failure instanceof SocketException || failure instanceof UnknownHostException) {
			return CONNECT_ERROR;
		}
		return BAD_ANSWER;
	}

	/**
	 * Classify an HTTP status that is not a usable answer.
	 * @param status the HTTP status
	 * @return {@link #HTTP_5XX} for 5xx, else {@link #BAD_ANSWER}
	 */
	public static ProviderCallStatus ofHttpStatus(int status) {
		return (status >= 500 && status < 600) ? HTTP_5XX : BAD_ANSWER;
	}

}
