package io.github.captchasecurity.provider.builtin;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Told about the life of the built-in provider's challenges: each one generated, and each
 * answer (right, wrong, or to a challenge that expired or is no longer known). Never told
 * the answer, the challenge id or the client. Listeners must be fast and must not throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface BuiltinChallengeListener {

	/**
	 * Called for each event.
	 * @param type the challenge type, or null when the answered challenge is no longer
	 * known (expired and evicted, already answered, or never issued)
	 * @param result what happened
	 */
	void onChallenge(@Nullable ChallengeType type, Result result);

	/**
	 * What happened to a challenge.
	 *
	 * @since 0.1.0
	 */
	enum Result {

		/** A challenge was issued. */
		GENERATED,

		/** A challenge was answered right: a pass token was issued. */
		SOLVED,

		/** A challenge was answered wrong (or from another client with bind-ip). */
		FAILED,

		/** An answer came for a challenge that expired or is no longer known. */
		EXPIRED;

		/**
		 * Return the stable tag, such as {@code solved}.
		 * @return the tag
		 */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
