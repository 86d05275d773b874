package io.github.captchasecurity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a passed token must be escalated to the route's stronger provider (the
 * client is past the step-up threshold, its score is below {@code escalate-below}, or a
 * decision customizer asks for it) and builds the challenge the client must show.
 */
final class EscalationPolicy {

	private final EscalationChallengeFactory escalationChallenges;

	private final List<CaptchaDecisionCustomizer> decisionCustomizers;

	EscalationPolicy(EscalationChallengeFactory escalationChallenges,
			List<CaptchaDecisionCustomizer> decisionCustomizers) {
		this.escalationChallenges = escalationChallenges;
		this.decisionCustomizers = decisionCustomizers;
	}

	/**
	 * The escalation challenge for a passed result, or null if the request may go on.
	 * @param rule the rule of the request
	 * @param name the name of the provider that passed the result
	 * @param result the passed result
	 * @param context the verification context
	 * @param stepUp whether the request asks for a step-up whatever the score
	 * @return the escalation challenge, or null
	 */
	@Nullable Map<String, Object> challengeFor(CaptchaRule rule, String name, VerificationResult result,
			VerificationContext context, boolean stepUp) {
		String escalateTo = rule.escalateTo();
		if (escalateTo == null || escalateTo.equals(name)) {
			return null;
		}
		String reason = null;
		if (stepUp) {
			reason = "step-up";
		}
		else if (rule.escalateBelow() != null && result.score() != null && result.score() < rule.escalateBelow()) {
			reason = "score";
		}
		else if (this.decisionCustomizers.stream()
			.anyMatch((customizer) -> customizer.requireEscalation(rule, result, context))) {
			reason = "policy";
		}
		if (reason == null) {
			return null;
		}
		List<String> types = rule.challengeTypesFor(escalateTo);
		Map<String, Object> challenge = new LinkedHashMap<>(
				this.escalationChallenges.challenge(escalateTo, rule.action(), types, context));
		challenge.putIfAbsent("provider", escalateTo);
		if (!types.isEmpty()) {
			// the retry must be of one of these types: anything else is
			// captcha_challenge_type_mismatch
			challenge.put("challenge_types", types);
		}
		challenge.put("reason", reason);
		challenge.put("provider_header", "X-Captcha-Provider");
		return challenge;
	}

}
