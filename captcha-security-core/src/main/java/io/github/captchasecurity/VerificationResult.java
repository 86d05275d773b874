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
 * @param provider the name of the provider that verified the token, or null if none was
 * asked
 * @param score the score where 1.0 means human, or null if the provider gave none
 * @param action the action the token carried, or null if none
 * @param hostname the hostname the challenge was solved on, or null if none
 * @param challengeTimestamp when the challenge was loaded or solved, or null if not
 * reported
 * @param errorCodes the provider's error codes as reported, possibly empty
 * @param rawScore the score as the provider reported it (hCaptcha Enterprise: 1.0 means
 * bot), or null
 * @param retryAfter for {@link VerificationOutcome#RATE_LIMITED}: how long to wait, else
 * null
 * @param challenge for {@link VerificationOutcome#ESCALATION_REQUIRED}: what the client
 * must show (provider, type, site key, form field, and for the built-in provider a fresh
 * challenge), else empty
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
	 * Create a result whose raw score is the normalized one (providers where 1.0 means
	 * human).
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
	 * Create a result that carries only an outcome, for checks that fail before a
	 * provider is asked.
	 * @param outcome the outcome
	 * @param provider the provider name or null
	 * @return the result
	 */
	public static VerificationResult of(VerificationOutcome outcome, @Nullable String provider) {
		return new VerificationResult(outcome, provider, null, null, null, null, List.of());
	}

	/**
	 * Start a result with the given outcome. Unset components are null or empty; the raw
	 * score is the score unless set. <pre>{@code
	 * VerificationResult.builder(VerificationOutcome.PASSED).provider("google").score(0.9).action("login").build();
	 * }</pre>
	 * @param outcome the outcome
	 * @return the builder
	 */
	public static Builder builder(VerificationOutcome outcome) {
		return new Builder(outcome);
	}

	/**
	 * Start a passed result of the given provider.
	 * @param provider the provider name
	 * @return the builder
	 * @see #builder(VerificationOutcome)
	 */
	public static Builder passedBy(String provider) {
		return builder(VerificationOutcome.PASSED).provider(provider);
	}

	/**
	 * Start a builder holding this result's components, to change some of them.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return new Builder(this.outcome).provider(this.provider)
			.score(this.score)
			.action(this.action)
			.hostname(this.hostname)
			.challengeTimestamp(this.challengeTimestamp)
			.errorCodes(this.errorCodes)
			.rawScore(this.rawScore)
			.retryAfter(this.retryAfter)
			.challenge(this.challenge);
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

	/**
	 * Builds a {@link VerificationResult}. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private VerificationOutcome outcome;

		private @Nullable String provider;

		private @Nullable Double score;

		private @Nullable String action;

		private @Nullable String hostname;

		private @Nullable Instant challengeTimestamp;

		private List<String> errorCodes = List.of();

		private @Nullable Double rawScore;

		private boolean rawScoreSet;

		private @Nullable Duration retryAfter;

		private Map<String, Object> challenge = Map.of();

		private Builder(VerificationOutcome outcome) {
			this.outcome = Objects.requireNonNull(outcome, "outcome");
		}

		/**
		 * Set the outcome.
		 * @param outcome the outcome
		 * @return this builder
		 */
		public Builder outcome(VerificationOutcome outcome) {
			this.outcome = Objects.requireNonNull(outcome, "outcome");
			return this;
		}

		/**
		 * Set the provider name. Default: null.
		 * @param provider the provider name, or null
		 * @return this builder
		 */
		public Builder provider(@Nullable String provider) {
			this.provider = provider;
			return this;
		}

		/**
		 * Set the score, where 1.0 means human. Default: null.
		 * @param score the score, or null
		 * @return this builder
		 */
		public Builder score(@Nullable Double score) {
			this.score = score;
			return this;
		}

		/**
		 * Set the action the token carried. Default: null.
		 * @param action the action, or null
		 * @return this builder
		 */
		public Builder action(@Nullable String action) {
			this.action = action;
			return this;
		}

		/**
		 * Set the hostname the challenge was solved on. Default: null.
		 * @param hostname the hostname, or null
		 * @return this builder
		 */
		public Builder hostname(@Nullable String hostname) {
			this.hostname = hostname;
			return this;
		}

		/**
		 * Set when the challenge was loaded or solved. Default: null.
		 * @param challengeTimestamp the time, or null
		 * @return this builder
		 */
		public Builder challengeTimestamp(@Nullable Instant challengeTimestamp) {
			this.challengeTimestamp = challengeTimestamp;
			return this;
		}

		/**
		 * Set the provider's error codes. Default: none.
		 * @param errorCodes the error codes
		 * @return this builder
		 */
		public Builder errorCodes(List<String> errorCodes) {
			this.errorCodes = List.copyOf(errorCodes);
			return this;
		}

		/**
		 * Set the score as the provider reported it. Default: the {@link #score(Double)
		 * score}.
		 * @param rawScore the raw score, or null
		 * @return this builder
		 */
		public Builder rawScore(@Nullable Double rawScore) {
			this.rawScore = rawScore;
			this.rawScoreSet = true;
			return this;
		}

		/**
		 * Set how long a rate-limited client must wait. Default: null.
		 * @param retryAfter the delay, or null
		 * @return this builder
		 */
		public Builder retryAfter(@Nullable Duration retryAfter) {
			this.retryAfter = retryAfter;
			return this;
		}

		/**
		 * Set the escalation challenge. Default: empty.
		 * @param challenge what the client must show
		 * @return this builder
		 */
		public Builder challenge(Map<String, Object> challenge) {
			this.challenge = Map.copyOf(challenge);
			return this;
		}

		/**
		 * Build the result.
		 * @return the result
		 */
		public VerificationResult build() {
			return new VerificationResult(this.outcome, this.provider, this.score, this.action, this.hostname,
					this.challengeTimestamp, this.errorCodes, this.rawScoreSet ? this.rawScore : this.score,
					this.retryAfter, this.challenge);
		}

	}

}
