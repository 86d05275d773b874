package io.github.captchasecurity.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP answer from a provider. Immutable.
 *
 * @param status the HTTP status code
 * @param contentType the media type of the body without parameters, lower case, or null
 * if none was sent
 * @param body the body bytes
 * @since 0.1.0
 */
public record HttpResult(int status, @Nullable String contentType, byte[] body) {

	/**
	 * Create a result.
	 * @param status the status
	 * @param contentType the media type or null
	 * @param body the body
	 */
	public HttpResult {
		Objects.requireNonNull(body, "body");
		body = body.clone();
	}

	@Override
	public byte[] body() {
		return this.body.clone();
	}

	/**
	 * Whether the status is 2xx.
	 * @return {@code true} for a successful status
	 */
	public boolean isSuccessful() {
		return this.status >= 200 && this.status < 300;
	}

	/**
	 * Whether the body is declared as JSON ({@code application/json} or {@code +json}).
	 * @return {@code true} for a JSON body
	 */
	public boolean isJson() {
		return this.contentType != null
				&& (this.contentType.equals("application/json") || this.contentType.endsWith("+json"));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof HttpResult that && this.status == that.status
				&& Objects.equals(this.contentType, that.contentType) && Arrays.equals(this.body, that.body);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.status, this.contentType, Arrays.hashCode(this.body));
	}

	@Override
	public String toString() {
		return "HttpResult[status=" + this.status + ", contentType=" + this.contentType + ", body="
				+ new String(this.body, 0, Math.min(this.body.length, 200), StandardCharsets.UTF_8) + "]";
	}

}
