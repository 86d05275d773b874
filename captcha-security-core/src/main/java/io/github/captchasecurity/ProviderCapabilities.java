package io.github.captchasecurity;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What a provider type is and supports, declared once in the provider's own package (each
 * shipped verifier exposes its type's capabilities as a {@code CAPABILITIES} constant)
 * and read by whatever wires providers, so no generic code needs to know a type by name.
 * Immutable; build one with {@link #builder(String)}.
 *
 * @param type the provider type, as written in {@code captcha.providers.<name>.type}
 * @param formField the form field the provider's widget posts the token in
 * @param tokenLifetime how long the provider considers a token valid
 * @param maxTokenLength the longest token the provider issues, or 0 when it documents
 * none (the application-wide limit then applies)
 * @param scoring whether the provider scores tokens
 * @param serverChallenges whether the provider can bind a challenge to the client it was
 * issued for (routes with server-issued challenges need it)
 * @param selfHosted whether challenges are generated and checked by this application (the
 * built-in provider), which then serves their API and supports challenge types
 * @param testSecretPattern a regular expression matching the provider's official test
 * secrets, or null if it publishes none
 * @since 0.1.0
 */
public record ProviderCapabilities(String type, String formField, Duration tokenLifetime, int maxTokenLength,
		Scoring scoring, boolean serverChallenges, boolean selfHosted, @Nullable String testSecretPattern) {

	// compiled once per pattern, not per call: verifiers ask on the request path
	private static final Map<String, Pattern> COMPILED_TEST_SECRETS = new ConcurrentHashMap<>();

	/**
	 * Check the arguments.
	 * @param type the type
	 * @param formField the widget's form field
	 * @param tokenLifetime the token lifetime
	 * @param maxTokenLength the longest token or 0
	 * @param scoring the scoring
	 * @param serverChallenges whether server-issued challenges are supported
	 * @param selfHosted whether challenges are served by this application
	 * @param testSecretPattern the test secrets or null
	 * @throws IllegalArgumentException if an argument is out of range
	 */
	public ProviderCapabilities {
		Objects.requireNonNull(type, "type");
		Checks.requireArgument(!type.isBlank(), "type cannot be blank");
		Objects.requireNonNull(formField, "formField");
		Checks.requireArgument(tokenLifetime.compareTo(Duration.ZERO) > 0, "tokenLifetime must be positive");
		Checks.requireArgument(maxTokenLength >= 0, "maxTokenLength cannot be negative");
		Objects.requireNonNull(scoring, "scoring");
		if (testSecretPattern != null) {
			Pattern.compile(testSecretPattern);
		}
	}

	/**
	 * Start capabilities of an unscored provider type without server challenges, with a
	 * token lifetime of five minutes and no token-length limit of its own.
	 * @param type the provider type
	 * @return a builder
	 */
	public static Builder builder(String type) {
		return new Builder(type);
	}

	/**
	 * Whether a secret is one of the provider's official test secrets, under which every
	 * token (or one fixed dummy token) passes.
	 * @param secret the secret, or null
	 * @return {@code true} if it is a published test secret
	 */
	public boolean isTestSecret(@Nullable String secret) {
		if (secret == null || this.testSecretPattern == null) {
			return false;
		}
		return COMPILED_TEST_SECRETS.computeIfAbsent(this.testSecretPattern, Pattern::compile)
			.matcher(secret.trim())
			.matches();
	}

	/**
	 * Copy these capabilities with another token lifetime (a provider whose lifetime is
	 * configured).
	 * @param lifetime the token lifetime
	 * @return the copy
	 */
	public ProviderCapabilities withTokenLifetime(Duration lifetime) {
		return new ProviderCapabilities(this.type, this.formField, lifetime, this.maxTokenLength, this.scoring,
				this.serverChallenges, this.selfHosted, this.testSecretPattern);
	}

	/**
	 * Whether a provider type scores tokens.
	 *
	 * @since 0.1.0
	 */
	public enum Scoring {

		/**
		 * Every answer carries a score (reCAPTCHA v3, reCAPTCHA Enterprise): minimum
		 * scores apply.
		 */
		SCORED,

		/**
		 * Scores are an option of the provider's plan (hCaptcha Enterprise): scored when
		 * a minimum is configured.
		 */
		OPTIONAL,

		/** The provider never scores tokens: configuring a minimum score is an error. */
		UNSCORED

	}

	/**
	 * Builder of {@link ProviderCapabilities}.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final String type;

		private String formField = "captcha-token";

		private Duration tokenLifetime = Duration.ofMinutes(5);

		private int maxTokenLength;

		private Scoring scoring = Scoring.UNSCORED;

		private boolean serverChallenges;

		private boolean selfHosted;

		private @Nullable String testSecretPattern;

		private Builder(String type) {
			this.type = type;
		}

		/**
		 * Set the form field the widget posts.
		 * @param formField the field
		 * @return this builder
		 */
		public Builder formField(String formField) {
			this.formField = formField;
			return this;
		}

		/**
		 * Set how long the provider considers a token valid.
		 * @param tokenLifetime the lifetime
		 * @return this builder
		 */
		public Builder tokenLifetime(Duration tokenLifetime) {
			this.tokenLifetime = tokenLifetime;
			return this;
		}

		/**
		 * Set the longest token the provider issues.
		 * @param maxTokenLength the length, or 0 for none
		 * @return this builder
		 */
		public Builder maxTokenLength(int maxTokenLength) {
			this.maxTokenLength = maxTokenLength;
			return this;
		}

		/**
		 * Set whether the provider scores tokens.
		 * @param scoring the scoring
		 * @return this builder
		 */
		public Builder scoring(Scoring scoring) {
			this.scoring = scoring;
			return this;
		}

		/**
		 * Declare that the provider supports server-issued challenges.
		 * @return this builder
		 */
		public Builder serverChallenges() {
			this.serverChallenges = true;
			return this;
		}

		/**
		 * Declare that this application generates and checks the provider's challenges.
		 * @return this builder
		 */
		public Builder selfHosted() {
			this.selfHosted = true;
			return this;
		}

		/**
		 * Set a regular expression matching the provider's official test secrets.
		 * @param pattern the pattern
		 * @return this builder
		 */
		public Builder testSecrets(String pattern) {
			this.testSecretPattern = pattern;
			return this;
		}

		/**
		 * Build the capabilities.
		 * @return the capabilities
		 */
		public ProviderCapabilities build() {
			return new ProviderCapabilities(this.type, this.formField, this.tokenLifetime, this.maxTokenLength,
					this.scoring, this.serverChallenges, this.selfHosted, this.testSecretPattern);
		}

	}

}
