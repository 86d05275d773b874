package io.github.captchasecurity;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What is known about the request a token came with. Immutable.
 *
 * @param clientIp the client's IP address, or null if unknown
 * @param userAgent the client's User-Agent, or null if unknown
 * @param tokenFields where the token was found: header name, JSON member or form field
 * names; on routes that accept several providers, a provider's widget field picks it
 * @param providerHint a provider the client names (header {@code X-Captcha-Provider}), or
 * null
 * @param account the account the request acts for (such as the username of a login), or
 * null; failures are counted per client IP and per account
 * @since 0.1.0
 */
public record VerificationContext(@Nullable String clientIp, @Nullable String userAgent, Set<String> tokenFields,
		@Nullable String providerHint, @Nullable String account) {

	/**
	 * Create a context.
	 * @param clientIp the client IP or null
	 * @param userAgent the User-Agent or null
	 * @param tokenFields where the token was found
	 * @param providerHint the provider hint or null
	 * @param account the account or null
	 */
	public VerificationContext {
		tokenFields = Set.copyOf(tokenFields);
	}

	/**
	 * Create a context without an account.
	 * @param clientIp the client IP or null
	 * @param userAgent the User-Agent or null
	 * @param tokenFields where the token was found
	 * @param providerHint the provider hint or null
	 */
	public VerificationContext(@Nullable String clientIp, @Nullable String userAgent, Set<String> tokenFields,
			@Nullable String providerHint) {
		this(clientIp, userAgent, tokenFields, providerHint, null);
	}

	/**
	 * A context that knows only the client IP.
	 * @param clientIp the client IP or null
	 * @return the context
	 */
	public static VerificationContext ofClientIp(@Nullable String clientIp) {
		return new VerificationContext(clientIp, null, Set.of(), null, null);
	}

}
