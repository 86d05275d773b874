package io.github.captchasecurity;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A configured provider: its verifier and the defaults that apply to every route it serves. Immutable.
 *
 * @param name the provider name routes refer to
 * @param verifier the verifier that asks the provider
 * @param hostnames the allowed hostnames; empty: not checked
 * @param minScore the default minimum score, or null when no score is required (reCAPTCHA v2 semantics)
 * @param maxTokenAge how old a challenge may be
 * @param tokenLifetime how long the provider considers a token valid; replay digests are kept at least this long
 * @param maxTokenLength the longest token accepted before the provider is asked
 * @param scored whether the provider scores tokens; for one that does not, minimum scores are not applied
 * @param formField the form field the provider's widget posts, or null if unknown; on routes that accept several
 * providers, the field that carried the token picks the provider
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

}
