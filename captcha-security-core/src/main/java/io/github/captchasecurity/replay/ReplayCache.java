package io.github.captchasecurity.replay;

import java.time.Duration;

/**
 * Remembers tokens already presented, by digest, so that a token is accepted at most
 * once. Implementations must make {@link #markUsed(String, Duration)} and
 * {@link #tryMarkUsed(String, Duration)} atomic: of concurrent calls with the same key
 * exactly one reports the first use.
 * <p>
 * A bounded implementation must never forget a live entry to make room for a new one (an
 * attacker could push out a consumed token by flooding the cache and then replay it):
 * when it is full of live entries it refuses new digests with {@link Mark#CACHE_FULL},
 * and the caller fails closed.
 *
 * @since 0.1.0
 */
public interface ReplayCache {

	/**
	 * Record the first use of a token digest.
	 * @param tokenDigest the token's digest (never the raw token)
	 * @param ttl how long to remember it; at least the provider's token lifetime
	 * @return {@code true} if this is the first use, {@code false} if the digest was
	 * already recorded or could not be recorded (a full cache)
	 */
	boolean markUsed(String tokenDigest, Duration ttl);

	/**
	 * Record the first use of a token digest, telling a full cache apart from a replay.
	 * The default implementation calls {@link #markUsed(String, Duration)}, so it never
	 * reports {@link Mark#CACHE_FULL}; bounded implementations override it.
	 * @param tokenDigest the token's digest (never the raw token)
	 * @param ttl how long to remember it; at least the provider's token lifetime
	 * @return {@link Mark#FIRST_USE}, {@link Mark#ALREADY_USED}, or
	 * {@link Mark#CACHE_FULL} if the digest is new but the cache holds no room for it
	 * @since 0.1.0
	 */
	default Mark tryMarkUsed(String tokenDigest, Duration ttl) {
		return markUsed(tokenDigest, ttl) ? Mark.FIRST_USE : Mark.ALREADY_USED;
	}

	/**
	 * Forget a digest, so the token may be presented again. Used when a token was not
	 * spent: the provider could not be asked, or rejected it.
	 * @param tokenDigest the token's digest
	 */
	void forget(String tokenDigest);

	/**
	 * What {@link #tryMarkUsed(String, Duration)} did with a digest.
	 *
	 * @since 0.1.0
	 */
	enum Mark {

		/** The digest was new and is now recorded. */
		FIRST_USE,

		/** The digest was recorded already: a replay. */
		ALREADY_USED,

		/**
		 * The digest is new, but the cache is full of live entries: nothing was recorded.
		 */
		CACHE_FULL

	}

}
