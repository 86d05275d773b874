package io.github.captchasecurity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's checks of a token and of a verifier's answer: well-formed token, usable
 * answer, hostname, action, score and challenge age.
 */
final class AnswerChecks {

	// the engine's log category, whichever part of it logs
	private static final Logger logger = LoggerFactory.getLogger(CaptchaVerificationService.class);

	private static final Duration CLOCK_SKEW = CaptchaVerificationService.CLOCK_SKEW;

	private final Clock clock;

	AnswerChecks(Clock clock) {
		this.clock = clock;
	}

	/**
	 * A pass whose facts cannot be true (a score outside 0.0..1.0 or not finite, as
	 * reported or normalized) is an unusable answer, whichever verifier produced it:
	 * answered as the provider being unavailable.
	 * @param answer the verifier's answer
	 * @return the answer, or an unavailable-provider result if it cannot be true
	 */
	static VerificationResult usable(VerificationResult answer) {
		if (answer.passed() && (!isScore(answer.score()) || !isScore(answer.rawScore()))) {
			logger.warn("CAPTCHA provider '{}' passed a token with a score outside 0.0..1.0: answer refused",
					answer.provider());
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, answer.provider());
		}
		return answer;
	}

	private static boolean isScore(@Nullable Double score) {
		return score == null || (score >= 0.0 && score <= 1.0);
	}

	VerificationOutcome check(VerificationRequest request, VerificationResult answer, boolean testMode) {
		// test credentials answer with fixed hostnames and actions (testkey.google.com,
		// dummy-key-pass, "test")
		if (!testMode && !request.expectedHostnames().isEmpty()
				&& !hostnameAllowed(answer.hostname(), request.expectedHostnames())) {
			return VerificationOutcome.HOSTNAME_MISMATCH;
		}
		// a token solved without an action (on a harmless page) must not unlock a route
		// that expects one, whichever provider verified it
		if (!testMode && request.expectedAction() != null
				&& (answer.action() == null || !answer.action().equalsIgnoreCase(request.expectedAction()))) {
			return VerificationOutcome.ACTION_MISMATCH;
		}
		if (request.minScore() != null && (answer.score() == null || answer.score() < request.minScore())) {
			return VerificationOutcome.LOW_SCORE;
		}
		Instant challenged = answer.challengeTimestamp();
		Instant now = this.clock.instant();
		if (challenged != null && challenged.isAfter(now.plus(CLOCK_SKEW))) {
			// solved in the future: a forged or confused answer, not a fresh token
			return VerificationOutcome.INVALID;
		}
		if (challenged != null && challenged.plus(request.maxTokenAge()).plus(CLOCK_SKEW).isBefore(now)) {
			return VerificationOutcome.EXPIRED;
		}
		return VerificationOutcome.PASSED;
	}

	static boolean hostnameAllowed(@Nullable String hostname, Set<String> allowed) {
		if (hostname == null || hostname.isEmpty()) {
			return false;
		}
		String host = hostname.toLowerCase(Locale.ROOT);
		for (String candidate : allowed) {
			String pattern = candidate.toLowerCase(Locale.ROOT);
			if (pattern.startsWith("*.")) {
				if (host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1) {
					return true;
				}
			}
			else if (pattern.equals(host)) {
				return true;
			}
		}
		return false;
	}

	static boolean isWellFormed(String token, int maxLength) {
		if (token.length() > maxLength) {
			return false;
		}
		for (int i = 0; i < token.length(); i++) {
			char c = token.charAt(i);
			if (c < 0x21 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>') {
				return false;
			}
		}
		return true;
	}

}
