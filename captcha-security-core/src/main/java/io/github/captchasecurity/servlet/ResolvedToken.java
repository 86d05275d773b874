package io.github.captchasecurity.servlet;

import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The token found in a request, and the request to pass on: a wrapper whose body can still be read when the
 * resolver had to read it.
 *
 * @param request the request to continue the chain with
 * @param token the token, or null if the request carries none
 * @since 0.1.0
 */
public record ResolvedToken(HttpServletRequest request, @Nullable String token) {

	/**
	 * Create a resolved token.
	 * @param request the request
	 * @param token the token or null
	 */
	public ResolvedToken {
		Objects.requireNonNull(request, "request");
	}

	@Override
	public String toString() {
		return "ResolvedToken[token=" + ((this.token != null) ? "(" + this.token.length() + " chars)" : "none") + "]";
	}

}
