package io.github.captchasecurity.token;

import java.util.Objects;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The token found in a request, and the request to pass on: a wrapper whose body can
 * still be read when the resolver had to read it.
 *
 * @param request the request to continue the chain with
 * @param token the token, or null if the request carries none
 * @param fields where the token was found: the header name, the JSON member or the form
 * field names
 * @since 0.1.0
 */
public record ResolvedToken(HttpServletRequest request, @Nullable String token, Set<String> fields) {

	/**
	 * Create a resolved token.
	 * @param request the request
	 * @param token the token or null
	 * @param fields where the token was found
	 */
	public ResolvedToken {
		Objects.requireNonNull(request, "request");
		fields = Set.copyOf(fields);
	}

	/**
	 * Create a resolved token whose source is not known.
	 * @param request the request
	 * @param token the token or null
	 */
	public ResolvedToken(HttpServletRequest request, @Nullable String token) {
		this(request, token, Set.of());
	}

	@Override
	public String toString() {
		return "ResolvedToken[token=" + ((this.token != null) ? "(" + this.token.length() + " chars)" : "none") + "]";
	}

}
