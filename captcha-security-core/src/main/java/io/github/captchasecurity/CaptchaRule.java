package io.github.captchasecurity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What a protected route asks of a token: which providers may verify it, which action it
 * must carry, which minimum score applies, and whether the route lets requests through
 * when the provider cannot be asked. Null members fall back to the provider's defaults.
 * Immutable.
 *
 * @param providers the provider names the route accepts, in order of preference; empty
 * for the default provider. With several, the provider the client names in the
 * {@code X-Captcha-Provider} header is used, else the one whose widget field carried the
 * token, else the first
 * @param action the expected action, or null if the action is not checked
 * @param minScore the minimum score, or null for the provider's own setting
 * @param failOpen whether a request passes when the provider is unavailable (default
 * false: fail closed)
 * @param escalateBelow a verified token scoring below this (but at or above the minimum)
 * must be stepped up to {@code escalateTo}, or null for no score band
 * @param escalateTo the stronger provider escalations point to, or null if the route does
 * not escalate; its tokens are always accepted on the route
 * @param serverChallenge whether the token must come from a challenge the server issued
 * for this client and action
 * @param challengeTypes the built-in challenge types ({@code image}, {@code grid}, ...)
 * whose tokens the route accepts, lower case; empty: every type the site key allows.
 * Hosted providers ignore it
 * @param escalateChallengeTypes the built-in challenge types an escalation asks for, in
 * order of preference (the first is the one asked for); an escalation's retry must be of
 * one of them. Empty: the route's {@code challengeTypes} apply to the escalation
 * provider's tokens too
 * @since 0.1.0
 */
public record CaptchaRule(List<String> providers, @Nullable String action, @Nullable Double minScore, boolean failOpen,
		@Nullable Double escalateBelow, @Nullable String escalateTo, boolean serverChallenge,
		List<String> challengeTypes, List<String> escalateChallengeTypes) {

	/**
	 * Create a rule.
	 * @param providers the provider names, possibly empty
	 * @param action the action or null
	 * @param minScore the minimum score or null
	 * @param failOpen whether to fail open
	 * @param escalateBelow the escalation score band's upper bound or null
	 * @param escalateTo the escalation provider or null
	 * @param serverChallenge whether a server-issued challenge is required
	 * @param challengeTypes the accepted built-in challenge types, possibly empty
	 * @param escalateChallengeTypes the built-in challenge types escalations ask for,
	 * possibly empty
	 * @throws IllegalArgumentException if a score is outside 0..1 or a name is blank
	 */
	public CaptchaRule {
		providers = List.copyOf(providers);
		Checks.requireArgument(providers.stream().noneMatch(String::isBlank), "provider cannot be blank");
		Checks.requireArgument(action == null || !action.isBlank(), "action cannot be blank");
		Checks.requireArgument(minScore == null || (minScore >= 0.0 && minScore <= 1.0),
				"minScore must be between 0.0 and 1.0");
		Checks.requireArgument(escalateBelow == null || (escalateBelow >= 0.0 && escalateBelow <= 1.0),
				"escalateBelow must be between 0.0 and 1.0");
		Checks.requireArgument(escalateTo == null || !escalateTo.isBlank(), "escalateTo cannot be blank");
		challengeTypes = normalizeTypes(challengeTypes, "challengeTypes");
		escalateChallengeTypes = normalizeTypes(escalateChallengeTypes, "escalateChallengeTypes");
	}

	/**
	 * Create a rule that accepts every challenge type.
	 * @param providers the provider names, possibly empty
	 * @param action the action or null
	 * @param minScore the minimum score or null
	 * @param failOpen whether to fail open
	 * @param escalateBelow the escalation score band's upper bound or null
	 * @param escalateTo the escalation provider or null
	 * @param serverChallenge whether a server-issued challenge is required
	 * @throws IllegalArgumentException if a score is outside 0..1 or a name is blank
	 */
	public CaptchaRule(List<String> providers, @Nullable String action, @Nullable Double minScore, boolean failOpen,
			@Nullable Double escalateBelow, @Nullable String escalateTo, boolean serverChallenge) {
		this(providers, action, minScore, failOpen, escalateBelow, escalateTo, serverChallenge, List.of(), List.of());
	}

	/**
	 * Create a rule without escalation.
	 * @param providers the provider names, possibly empty
	 * @param action the action or null
	 * @param minScore the minimum score or null
	 * @param failOpen whether to fail open
	 */
	public CaptchaRule(List<String> providers, @Nullable String action, @Nullable Double minScore, boolean failOpen) {
		this(providers, action, minScore, failOpen, null, null, false);
	}

	/**
	 * Create a fail-closed rule for one provider.
	 * @param provider the provider name, or null for the default provider
	 * @param action the action or null
	 * @param minScore the minimum score or null
	 */
	public CaptchaRule(@Nullable String provider, @Nullable String action, @Nullable Double minScore) {
		this((provider != null) ? List.of(provider) : List.of(), action, minScore, false);
	}

	/**
	 * A rule with every member defaulted.
	 * @return the rule
	 */
	public static CaptchaRule defaults() {
		return new CaptchaRule(List.of(), null, null, false);
	}

	/**
	 * Return a copy that escalates to a stronger provider.
	 * @param escalateBelow the score band's upper bound, or null for step-up only
	 * @param escalateTo the stronger provider
	 * @return the copy
	 */
	public CaptchaRule withEscalation(@Nullable Double escalateBelow, String escalateTo) {
		return new CaptchaRule(this.providers, this.action, this.minScore, this.failOpen, escalateBelow, escalateTo,
				this.serverChallenge, this.challengeTypes, this.escalateChallengeTypes);
	}

	/**
	 * Return a copy that requires a server-issued challenge.
	 * @param serverChallenge whether to require one
	 * @return the copy
	 */
	public CaptchaRule withServerChallenge(boolean serverChallenge) {
		return new CaptchaRule(this.providers, this.action, this.minScore, this.failOpen, this.escalateBelow,
				this.escalateTo, serverChallenge, this.challengeTypes, this.escalateChallengeTypes);
	}

	/**
	 * Return a copy that accepts only tokens of the given built-in challenge types.
	 * @param challengeTypes the types, such as {@code image} and {@code grid}; empty for
	 * every type the site key allows
	 * @return the copy
	 * @throws IllegalArgumentException if a type is blank
	 */
	public CaptchaRule withChallengeTypes(Collection<String> challengeTypes) {
		return new CaptchaRule(this.providers, this.action, this.minScore, this.failOpen, this.escalateBelow,
				this.escalateTo, this.serverChallenge, new ArrayList<>(challengeTypes), this.escalateChallengeTypes);
	}

	/**
	 * Return a copy whose escalations ask for, and accept only, the given built-in
	 * challenge types.
	 * @param escalateChallengeTypes the types, the preferred one first
	 * @return the copy
	 * @throws IllegalArgumentException if a type is blank
	 */
	public CaptchaRule withEscalateChallengeTypes(Collection<String> escalateChallengeTypes) {
		return new CaptchaRule(this.providers, this.action, this.minScore, this.failOpen, this.escalateBelow,
				this.escalateTo, this.serverChallenge, this.challengeTypes, new ArrayList<>(escalateChallengeTypes));
	}

	/**
	 * Return the challenge types a token verified by the given provider must be of.
	 * @param provider the provider that verifies the token
	 * @return the types, empty for any
	 */
	public List<String> challengeTypesFor(String provider) {
		if (provider.equals(this.escalateTo) && !this.escalateChallengeTypes.isEmpty()) {
			return this.escalateChallengeTypes;
		}
		return this.challengeTypes;
	}

	/**
	 * Return the first (preferred) provider.
	 * @return the provider name, or null for the default provider
	 */
	public @Nullable String provider() {
		return this.providers.isEmpty() ? null : this.providers.get(0);
	}

	/**
	 * Return a copy that fails open or closed.
	 * @param failOpen whether to fail open
	 * @return the copy
	 */
	public CaptchaRule withFailOpen(boolean failOpen) {
		return new CaptchaRule(this.providers, this.action, this.minScore, failOpen, this.escalateBelow,
				this.escalateTo, this.serverChallenge, this.challengeTypes, this.escalateChallengeTypes);
	}

	private static List<String> normalizeTypes(@Nullable List<String> types, String name) {
		if (types == null || types.isEmpty()) {
			return List.of();
		}
		List<String> normalized = new ArrayList<>(types.size());
		for (String type : types) {
			Checks.requireArgument(type != null && !type.isBlank(), name + " cannot contain a blank type");
			String lower = type.trim().toLowerCase(Locale.ROOT);
			if (!normalized.contains(lower)) {
				normalized.add(lower);
			}
		}
		return List.copyOf(normalized);
	}

}
