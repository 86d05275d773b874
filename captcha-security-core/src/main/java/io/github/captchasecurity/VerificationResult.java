package io.github.captchasecurity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a verification found: the outcome and the facts the provider reported. Immutable.
 *
 * @param outcome the outcome
 * @param provider the name of the provider that verified the token, or null if none was asked
 * @param score the score where 1.0 means human, or null if the provider gave none
 * @param action the action the token carried, or null if none
 * @param hostname the hostname the challenge was solved on, or null if none
 * @param challengeTimestamp when the challenge was loaded or solved, or null if not reported
 * @param errorCodes the provider's error codes as reported, possibly empty
 * @param rawScore the score as the provider reported it (hCaptcha Enterprise: 1.0 means bot), or null
 * @param retryAfter for {@link VerificationOutcome#RATE_LIMITED}: how long to wait, else null
 * @param challenge for {@link VerificationOutcome#ESCALATION_REQUIRED}: what the client must show (provider,
 * type, site key, form field, and for the built-in provider a fresh challenge), else empty
 * @since 0.1.0
 */
public record VerificationResult(VerificationOutcome outcome, @Nullable String provider, @Nullable Double score,
		@Nullable String action, @Nullable String hostname, @Nullable Instant challengeTimestamp,
		List<String> errorCodes, @Nullable Double rawScore, @Nullable Duration retryAfter,
		Map<String, Object> challenge) {

	/**
	 * Create a result.
	 * @param outcome the outcome
	 * @param provider the provider name or null
	 * @param score the score or null
	 * @param action the action or null
	 * @param hostname the hostname or null
	 * @param challengeTimestamp the challenge time or null
	 * @param errorCodes the provider error codes
	 * @param rawScore the provider's own score or null
	 * @param retryAfter the retry delay or null
	 * @param challenge the escalation challenge, possibly empty
	 */
	public VerificationResult {
		Objects.requireNonNull(outcome, "outcome");
		errorCodes = List.copyOf(errorCodes);
		challenge = Map.copyOf(challenge);
	}

	/**
	 * Create a result with a raw score.
	 * @param outcome the outcome
	 * @param provider the provider name or null
	 * @param score the normalized score or null
	 * @param action the action or null
	 * @param hostname the hostname or null
	 * @param challengeTimestamp the challenge time or null
	 * @param errorCodes the provider error codes
	 * @param rawScore the provider's own score or null
	 */
	public VerificationResult(VerificationOutcome outcome, @Nullable String provider, @Nullable Double score,
			@Nullable String action, @Nullable String hostname, @Nullable Instant challengeTimestamp,
			List<String> errorCodes, @Nullable Double rawScore) {
		this(outcome, provider, score, action, hostname, challengeTimestamp, errorCodes, rawScore, null, Map.of());
	}

	/**
	 * Create a result whose raw score is the normalized one (providers where 1.0 means human).
	 * @param outcome the outcome
	 * @param provider the provider name or null
	 * @param score the score or null
	 * @param action the action or null
	 * @param hostname the hostname or null
	 * @param challengeTimestamp the challenge time or null
	 * @param errorCodes the provider error codes
	 */
	public VerificationResult(VerificationOutcome outcome, @Nullable String provider, @Nullable Double score,
			@Nullable String action, @Nullable String hostname, @Nullable Instant challengeTimestamp,
			List<String> errorCodes) {
		this(outcome, provider, score, action, hostname, challengeTimestamp, errorCodes, score);
	}

	/**
	 * Create a result that carries only an outcome, for checks that fail before a provider is asked.
	 * @param outcome the outcome
	 * @param provider the provider name or null
	 * @return the result
	 */
	public static VerificationResult of(VerificationOutcome outcome, @Nullable String provider) {
		return new VerificationResult(outcome, provider, null, null, null, null, List.of());
	}

	/**
	 * Return a copy with another outcome.
	 * @param outcome the new outcome
	 * @return the copy
	 */
	public VerificationResult withOutcome(VerificationOutcome outcome) {
		return new VerificationResult(outcome, this.provider, this.score, this.action, this.hostname,
				this.challengeTimestamp, this.errorCodes, this.rawScore, this.retryAfter, this.challenge);
	}

	/**
	 * Return a rate-limited copy.
	 * @param retryAfter how long the client must wait
	 * @return the copy
	 */
	public VerificationResult rateLimited(Duration retryAfter) {
		return new VerificationResult(VerificationOutcome.RATE_LIMITED, this.provider, this.score, this.action,
				this.hostname, this.challengeTimestamp, this.errorCodes, this.rawScore, retryAfter, Map.of());
	}

	/**
	 * Return a copy that asks for the given stronger challenge.
	 * @param challenge what the client must show
	 * @return the copy
	 */
	public VerificationResult escalated(Map<String, Object> challenge) {
		return new VerificationResult(VerificationOutcome.ESCALATION_REQUIRED, this.provider, this.score, this.action,
				this.hostname, this.challengeTimestamp, this.errorCodes, this.rawScore, null, challenge);
	}

	/**
	 * Whether the request may go on.
	 * @return {@code true} if the outcome is {@link VerificationOutcome#PASSED}
	 */
	public boolean passed() {
		return this.outcome.passed();
	}

}
