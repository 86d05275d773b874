package io.github.captchasecurity;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A configured provider: its verifier and the defaults that apply to every route it
 * serves. Immutable.
 *
 * @param name the provider name routes refer to
 * @param verifier the verifier that asks the provider
 * @param hostnames the allowed hostnames; empty: not checked
 * @param minScore the default minimum score, or null when no score is required (reCAPTCHA
 * v2 semantics)
 * @param maxTokenAge how old a challenge may be
 * @param tokenLifetime how long the provider considers a token valid; replay digests are
 * kept at least this long
 * @param maxTokenLength the longest token accepted before the provider is asked
 * @param scored whether the provider scores tokens; for one that does not, minimum scores
 * are not applied
 * @param formField the form field the provider's widget posts, or null if unknown; on
 * routes that accept several providers, the field that carried the token picks the
 * provider
 * @since 0.1.0
 */
public record ProviderPolicy(String name, CaptchaVerifier verifier, Set<String> hostnames, @Nullable Double minScore,
		Duration maxTokenAge, Duration tokenLifetime, int maxTokenLength, boolean scored, @Nullable String formField) {

	/**
	 * Create a policy of a provider that scores tokens.
	 * @param name the name
	 * @param verifier the verifier
	 * @param hostnames the hostnames
	 * @param minScore the minimum score or null
	 * @param maxTokenAge the maximum challenge age
	 * @param tokenLifetime the provider's token lifetime
	 * @param maxTokenLength the maximum token length
	 */
	public ProviderPolicy(String name, CaptchaVerifier verifier, Set<String> hostnames, @Nullable Double minScore,
			Duration maxTokenAge, Duration tokenLifetime, int maxTokenLength) {
		this(name, verifier, hostnames, minScore, maxTokenAge, tokenLifetime, maxTokenLength, true, null);
	}

	/**
	 * Create a policy, checking each argument.
	 * @param name the name
	 * @param verifier the verifier
	 * @param hostnames the hostnames
	 * @param minScore the minimum score or null
	 * @param maxTokenAge the maximum challenge age
	 * @param tokenLifetime the provider's token lifetime
	 * @param maxTokenLength the maximum token length
	 * @param scored whether the provider scores tokens
	 * @param formField the widget's form field or null
	 * @throws IllegalArgumentException if an argument is out of range
	 */
	public ProviderPolicy {
		Objects.requireNonNull(name, "name");
		Checks.requireArgument(!name.isBlank(), "name cannot be blank");
		Objects.requireNonNull(verifier, "verifier");
		hostnames = Set.copyOf(hostnames);
		Checks.requireArgument(minScore == null || (minScore >= 0.0 && minScore <= 1.0),
				"minScore must be between 0.0 and 1.0");
		Checks.requireArgument(maxTokenAge.compareTo(Duration.ZERO) > 0, "maxTokenAge must be positive");
		Checks.requireArgument(tokenLifetime.compareTo(Duration.ZERO) > 0, "tokenLifetime must be positive");
		Checks.requireArgument(maxTokenLength > 0, "maxTokenLength must be positive");
	}

	/**
	 * Start a policy for a provider. <pre>{@code
	 * ProviderPolicy.builder("google", verifier)
	 *     .hostnames(Set.of("example.com"))
	 *     .tokenLifetime(RecaptchaVerifier.TOKEN_LIFETIME)
	 *     .build();
	 * }</pre>
	 * @param name the provider name routes refer to
	 * @param verifier the verifier that asks the provider
	 * @return the builder
	 */
	public static Builder builder(String name, CaptchaVerifier verifier) {
		return new Builder(name, verifier);
	}

	/**
	 * Builds a {@link ProviderPolicy}; {@link #build()} checks the values as the
	 * canonical constructor does. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final String name;

		private final CaptchaVerifier verifier;

		private Set<String> hostnames = Set.of();

		private @Nullable Double minScore;

		private @Nullable Duration maxTokenAge;

		private Duration tokenLifetime = Duration.ofMinutes(2);

		private int maxTokenLength = 4096;

		private boolean scored = true;

		private @Nullable String formField;

		private Builder(String name, CaptchaVerifier verifier) {
			this.name = Objects.requireNonNull(name, "name");
			this.verifier = Objects.requireNonNull(verifier, "verifier");
		}

		/**
		 * Set the allowed hostnames. Default: empty (not checked).
		 * @param hostnames the hostnames
		 * @return this builder
		 */
		public Builder hostnames(Set<String> hostnames) {
			this.hostnames = Set.copyOf(hostnames);
			return this;
		}

		/**
		 * Set the default minimum score. Default: null (no score required).
		 * @param minScore the minimum score between 0.0 and 1.0, or null
		 * @return this builder
		 */
		public Builder minScore(@Nullable Double minScore) {
			this.minScore = minScore;
			return this;
		}

		/**
		 * Set how old a challenge may be. Default: the {@link #tokenLifetime(Duration)
		 * token lifetime}.
		 * @param maxTokenAge the maximum age
		 * @return this builder
		 */
		public Builder maxTokenAge(Duration maxTokenAge) {
			this.maxTokenAge = Objects.requireNonNull(maxTokenAge, "maxTokenAge");
			return this;
		}

		/**
		 * Set how long the provider considers a token valid. Default: 2 minutes.
		 * @param tokenLifetime the lifetime
		 * @return this builder
		 */
		public Builder tokenLifetime(Duration tokenLifetime) {
			this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime");
			return this;
		}

		/**
		 * Set the longest token accepted before the provider is asked. Default: 4096.
		 * @param maxTokenLength the maximum length
		 * @return this builder
		 */
		public Builder maxTokenLength(int maxTokenLength) {
			this.maxTokenLength = maxTokenLength;
			return this;
		}

		/**
		 * Set whether the provider scores tokens. Default: {@code true}.
		 * @param scored whether tokens are scored
		 * @return this builder
		 */
		public Builder scored(boolean scored) {
			this.scored = scored;
			return this;
		}

		/**
		 * Set the form field the provider's widget posts. Default: null (unknown).
		 * @param formField the field, or null
		 * @return this builder
		 */
		public Builder formField(@Nullable String formField) {
			this.formField = formField;
			return this;
		}

		/**
		 * Build the policy.
		 * @return the policy
		 * @throws IllegalArgumentException if a value is out of range
		 */
		public ProviderPolicy build() {
			Duration maxAge = (this.maxTokenAge != null) ? this.maxTokenAge : this.tokenLifetime;
			return new ProviderPolicy(this.name, this.verifier, this.hostnames, this.minScore, maxAge,
					this.tokenLifetime, this.maxTokenLength, this.scored, this.formField);
		}

	}

}
