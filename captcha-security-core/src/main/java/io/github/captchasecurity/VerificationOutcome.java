package io.github.captchasecurity;

import org.jspecify.annotations.Nullable;

/**
 * Outcome of a CAPTCHA verification, each with the stable error {@link #code() code} and
 * the HTTP status a rejection is answered with. The codes are a public contract: clients
 * may rely on them.
 *
 * @since 0.1.0
 */
public enum VerificationOutcome {

	/** Every check passed. */
	PASSED(null, 200, "CAPTCHA verified"),

	/** No token in the request. */
	MISSING("captcha_missing", 400, "No CAPTCHA token was sent"),

	/**
	 * Token too long, not printable ASCII, or more than one different token in one
	 * request.
	 */
	MALFORMED("captcha_malformed", 400, "The CAPTCHA token is malformed"),

	/**
	 * The request body is larger than the configured limit for reading a token from it.
	 */
	BODY_TOO_LARGE("captcha_body_too_large", 413, "The request body is too large to be checked for a CAPTCHA token"),

	/** The provider did not accept the token. */
	INVALID("captcha_invalid", 403, "The CAPTCHA token is not valid"),

	/** The token was already used on this server. */
	REPLAYED("captcha_replayed", 403, "The CAPTCHA token was already used"),

	/**
	 * The provider reports the token expired or already redeemed, or the challenge is too
	 * old.
	 */
	EXPIRED("captcha_expired", 403, "The CAPTCHA token has expired"),

	/**
	 * The token was issued for another action, or carries none where the route expects
	 * one.
	 */
	ACTION_MISMATCH("captcha_action_mismatch", 403, "The CAPTCHA token was issued for another action"),

	/** The token was solved on a host that is not allowed. */
	HOSTNAME_MISMATCH("captcha_hostname_mismatch", 403, "The CAPTCHA token was solved on another site"),

	/**
	 * The token comes from a built-in challenge of a type the route (or the escalation it
	 * answers) does not accept, or its site key no longer allows: a math question or
	 * proof of work where an image was asked for.
	 */
	CHALLENGE_TYPE_MISMATCH("captcha_challenge_type_mismatch", 403,
			"The CAPTCHA challenge is not of a type this route accepts"),

	/** The score is below the minimum, or no score was given where one is required. */
	LOW_SCORE("captcha_low_score", 403, "The CAPTCHA score is too low"),

	/**
	 * The provider could not be asked: timeout, connection error, error status,
	 * unreadable answer.
	 */
	PROVIDER_UNAVAILABLE("captcha_provider_unavailable", 503, "The CAPTCHA provider could not be reached"),

	/**
	 * The store shared by the instances (replay cache, failure counters) failed or was
	 * too slow, so the token could not be checked; with a store configured to fail open
	 * the request passes instead.
	 */
	STORE_UNAVAILABLE("captcha_store_unavailable", 503, "The CAPTCHA store could not be reached"),

	/**
	 * The replay cache is full of tokens that are still live: new tokens are refused
	 * (fail closed) rather than forget used ones, until entries expire.
	 */
	REPLAY_CACHE_FULL("captcha_replay_cache_full", 503, "The server cannot check more CAPTCHA tokens right now"),

	/**
	 * The token was good but not enough: the client must solve the stronger challenge
	 * described in the result's {@link VerificationResult#challenge() challenge} and
	 * retry with its token.
	 */
	ESCALATION_REQUIRED("captcha_escalation_required", 403, "A stronger CAPTCHA challenge is required"),

	/**
	 * Too many failed verifications from this client or account: try again after the
	 * result's retry-after.
	 */
	RATE_LIMITED("captcha_rate_limited", 429, "Too many failed CAPTCHA attempts");

	private final @Nullable String code;

	private final int status;

	private final String title;

	VerificationOutcome(@Nullable String code, int status, String title) {
		this.code = code;
		this.status = status;
		this.title = title;
	}

	/**
	 * Return the stable error code, such as {@code captcha_invalid}.
	 * @return the code, or null for {@link #PASSED}
	 */
	public @Nullable String code() {
		return this.code;
	}

	/**
	 * Return the HTTP status a rejection with this outcome is answered with.
	 * @return the status code
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Return a short, human-readable summary that never contains request data, in
	 * English; answers use the {@code captcha.error.CODE.title} text of the client's
	 * language ({@code CaptchaMessages}).
	 * @return the title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * Whether this outcome lets the request through.
	 * @return {@code true} only for {@link #PASSED}
	 */
	public boolean passed() {
		return this == PASSED;
	}

}
