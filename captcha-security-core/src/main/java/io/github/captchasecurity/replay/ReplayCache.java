package io.github.captchasecurity.replay;

import java.time.Duration;

/**
 * Remembers tokens already presented, by digest, so that a token is accepted at most once. Implementations
 * must make {@link #markUsed(String, Duration)} atomic: of concurrent calls with the same key exactly one
 * returns {@code true}.
 *
 * @since 0.1.0
 */
public interface ReplayCache {

	/**
	 * Record the first use of a token digest.
	 * @param tokenDigest the token's digest (never the raw token)
	 * @param ttl how long to remember it; at least the provider's token lifetime
	 * @return {@code true} if this is the first use, {@code false} if the digest was already recorded
	 */
	boolean markUsed(String tokenDigest, Duration ttl);

	/**
	 * Forget a digest, so the token may be presented again. Used when the provider could not be asked and the
	 * token was therefore never spent.
	 * @param tokenDigest the token's digest
	 */
	void forget(String tokenDigest);

}
