package io.github.captchasecurity;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Describes the stronger challenge a client must solve when a verification is escalated:
 * at least the provider name; typically also its type, public site key and form field,
 * and for the built-in provider a freshly generated challenge or the URL to generate one.
 * Never secrets.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EscalationChallengeFactory {

	/**
	 * Describe the challenge.
	 * @param provider the provider to escalate to
	 * @param action the route's action, or null
	 * @param context the request
	 * @return the members of the {@code challenge} object sent to the client
	 */
	Map<String, Object> challenge(String provider, @Nullable String action, VerificationContext context);

	/**
	 * Describe the challenge, of one of the given built-in challenge types. Defaults to
	 * {@link #challenge(String, String, VerificationContext)}: factories for the built-in
	 * provider should override it and issue a challenge of the first type, since the
	 * retry must be of one of them.
	 * @param provider the provider to escalate to
	 * @param action the route's action, or null
	 * @param challengeTypes the challenge types the escalation asks for, preferred first;
	 * empty for any
	 * @param context the request
	 * @return the members of the {@code challenge} object sent to the client
	 */
	default Map<String, Object> challenge(String provider, @Nullable String action, List<String> challengeTypes,
			VerificationContext context) {
		return challenge(provider, action, context);
	}

}
