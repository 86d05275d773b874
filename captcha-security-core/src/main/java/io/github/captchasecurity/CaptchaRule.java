package io.github.captchasecurity;

import org.jspecify.annotations.Nullable;

/**
 * What a protected route asks of a token: which provider verifies it, which action it must carry and which
 * minimum score applies. Null members fall back to the provider's defaults. Immutable.
 *
 * @param provider the provider name, or null for the default provider
 * @param action the expected action, or null if the action is not checked
 * @param minScore the minimum score, or null for the provider's own setting
 * @since 0.1.0
 */
public record CaptchaRule(@Nullable String provider, @Nullable String action, @Nullable Double minScore) {

	/**
	 * Create a rule.
	 * @param provider the provider name or null
	 * @param action the action or null
	 * @param minScore the minimum score or null
	 * @throws IllegalArgumentException if the score is outside 0..1 or a name is blank
	 */
	public CaptchaRule {
		Checks.requireArgument(provider == null || !provider.isBlank(), "provider cannot be blank");
		Checks.requireArgument(action == null || !action.isBlank(), "action cannot be blank");
		Checks.requireArgument(minScore == null || (minScore >= 0.0 && minScore <= 1.0),
				"minScore must be between 0.0 and 1.0");
	}

	/**
	 * A rule with every member defaulted.
	 * @return the rule
	 */
	public static CaptchaRule defaults() {
		return new CaptchaRule(null, null, null);
	}

}
