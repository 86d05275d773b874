package io.github.captchasecurity;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link CaptchaVerifier} needs to verify one token: the token, the client
 * and what is expected of the answer. Immutable.
 *
 * @param token the token the client sent, never blank
 * @param clientIp the client's IP address, or null if unknown
 * @param expectedAction the action the token must carry, or null if the action is not
 * checked
 * @param expectedHostnames the hostnames the challenge may have been solved on; empty:
 * not checked
 * @param minScore the minimum score (1.0 human), or null when no score is required
 * @param maxTokenAge how old the challenge may be
 * @param userAgent the client's User-Agent, or null if unknown (sent to providers that
 * assess it)
 * @param serverChallenge whether the token must come from a challenge the server issued
 * for this client IP and the expected action (providers that cannot tell reject such
 * tokens)
 * @param challengeTypes the built-in challenge types the token may come from, lower case
 * ({@code image}, {@code grid}, ...); empty: every type its site key allows. Hosted
 * providers ignore it
 * @since 0.1.0
 */
public record VerificationRequest(String token, @Nullable String clientIp, @Nullable String expectedAction,
		Set<String> expectedHostnames, @Nullable Double minScore, Duration maxTokenAge, @Nullable String userAgent,
		boolean serverChallenge, Set<String> challengeTypes) {

	/**
	 * Create a request, checking each argument.
	 * @param token the token
	 * @param clientIp the client IP or null
	 * @param expectedAction the action or null
	 * @param expectedHostnames the allowed hostnames
	 * @param minScore the minimum score or null
	 * @param maxTokenAge the maximum challenge age
	 * @param userAgent the User-Agent or null
	 * @param serverChallenge whether a server-issued challenge is required
	 * @param challengeTypes the accepted built-in challenge types, possibly empty
	 * @throws IllegalArgumentException if the token is blank, the score is outside 0..1
	 * or the age not positive
	 */
	public VerificationRequest {
		Objects.requireNonNull(token, "token");
		Checks.requireArgument(!token.isBlank(), "token cannot be blank");
		expectedHostnames = Set.copyOf(expectedHostnames);
		Checks.requireArgument(minScore == null || (minScore >= 0.0 && minScore <= 1.0),
				"minScore must be between 0.0 and 1.0");
		Objects.requireNonNull(maxTokenAge, "maxTokenAge");
		Checks.requireArgument(!maxTokenAge.isNegative() && !maxTokenAge.isZero(), "maxTokenAge must be positive");
		challengeTypes = Set.copyOf(challengeTypes);
	}

	/**
	 * Create a request that accepts every challenge type.
	 * @param token the token
	 * @param clientIp the client IP or null
	 * @param expectedAction the action or null
	 * @param expectedHostnames the allowed hostnames
	 * @param minScore the minimum score or null
	 * @param maxTokenAge the maximum challenge age
	 * @param userAgent the User-Agent or null
	 * @param serverChallenge whether a server-issued challenge is required
	 * @throws IllegalArgumentException if the token is blank, the score is outside 0..1
	 * or the age not positive
	 */
	public VerificationRequest(String token, @Nullable String clientIp, @Nullable String expectedAction,
			Set<String> expectedHostnames, @Nullable Double minScore, Duration maxTokenAge, @Nullable String userAgent,
			boolean serverChallenge) {
		this(token, clientIp, expectedAction, expectedHostnames, minScore, maxTokenAge, userAgent, serverChallenge,
				Set.of());
	}

	/**
	 * Create a request without a User-Agent.
	 * @param token the token
	 * @param clientIp the client IP or null
	 * @param expectedAction the action or null
	 * @param expectedHostnames the allowed hostnames
	 * @param minScore the minimum score or null
	 * @param maxTokenAge the maximum challenge age
	 */
	public VerificationRequest(String token, @Nullable String clientIp, @Nullable String expectedAction,
			Set<String> expectedHostnames, @Nullable Double minScore, Duration maxTokenAge) {
		this(token, clientIp, expectedAction, expectedHostnames, minScore, maxTokenAge, null, false, Set.of());
	}

	/**
	 * Whether the caller wants a score checked (reCAPTCHA v3 semantics).
	 * @return {@code true} when a minimum score applies
	 */
	public boolean scoreRequired() {
		return this.minScore != null;
	}

	@Override
	public String toString() {
		return "VerificationRequest[token=" + TokenDigest.shortHash(this.token) + ", clientIp=" + this.clientIp
				+ ", expectedAction=" + this.expectedAction + ", expectedHostnames=" + this.expectedHostnames
				+ ", minScore=" + this.minScore + ", maxTokenAge=" + this.maxTokenAge + ", challengeTypes="
				+ this.challengeTypes + "]";
	}

}
