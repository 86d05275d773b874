package io.github.captchasecurity.replay;

import java.time.Duration;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A {@link ReplayCache} local to this JVM, on Caffeine. Each entry lives for the TTL it
 * was marked with. The cache holds at most {@code maxEntries} digests and never evicts a
 * live one to make room: when it is full, expired entries are reclaimed first, and if
 * none has expired the new digest is refused with {@link ReplayCache.Mark#CACHE_FULL} (so
 * flooding the cache cannot push a consumed token out).
 *
 * @since 0.1.0
 */
public final class CaffeineReplayCache implements ReplayCache {

	private final Cache<String, Duration> digests;

	private final long maxEntries;

	/** Serializes the capacity check with the insert, so the bound is exact. */
	private final Object insertLock = new Object();

	/**
	 * Create a cache on the system ticker.
	 * @param maxEntries the maximum number of digests held
	 */
	public CaffeineReplayCache(long maxEntries) {
		this(maxEntries, Ticker.systemTicker());
	}

	/**
	 * Create a cache with the given time source, for tests that must not sleep.
	 * @param maxEntries the maximum number of digests held, at least 1
	 * @param ticker the time source
	 * @throws IllegalArgumentException if {@code maxEntries} is less than 1
	 */
	public CaffeineReplayCache(long maxEntries, Ticker ticker) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be at least 1");
		}
		Objects.requireNonNull(ticker, "ticker");
		this.maxEntries = maxEntries;
		// no maximumSize: Caffeine would evict live entries by size; expiry alone removes
		// entries
		this.digests = Caffeine.newBuilder()
			.ticker(ticker)
			.executor(Runnable::run)
			.expireAfter(Expiry.creating((String key, Duration ttl) -> ttl))
			.build();
	}

	/**
	 * Record the first use of a token digest.
	 * @param tokenDigest the token's digest
	 * @param ttl how long to remember it
	 * @return {@code true} on the first use; {@code false} on a replay or when the cache
	 * is full
	 */
	@Override
	public boolean markUsed(String tokenDigest, Duration ttl) {
		return tryMarkUsed(tokenDigest, ttl) == Mark.FIRST_USE;
	}

	@Override
	public Mark tryMarkUsed(String tokenDigest, Duration ttl) {
		Objects.requireNonNull(tokenDigest, "tokenDigest");
		Objects.requireNonNull(ttl, "ttl");
		if (this.digests.getIfPresent(tokenDigest) != null) {
			return Mark.ALREADY_USED;
		}
		synchronized (this.insertLock) {
			if (this.digests.estimatedSize() >= this.maxEntries) {
				// reclaim expired entries before refusing
				this.digests.cleanUp();
				if (this.digests.estimatedSize() >= this.maxEntries) {
					return (this.digests.getIfPresent(tokenDigest) != null) ? Mark.ALREADY_USED : Mark.CACHE_FULL;
				}
			}
			return (this.digests.asMap().putIfAbsent(tokenDigest, ttl) == null) ? Mark.FIRST_USE : Mark.ALREADY_USED;
		}
	}

	@Override
	public void forget(String tokenDigest) {
		this.digests.invalidate(tokenDigest);
	}

	/**
	 * Return the approximate number of digests held, for metrics.
	 * @return the estimated size
	 */
	public long estimatedSize() {
		return this.digests.estimatedSize();
	}

	/**
	 * Return the most digests held at once.
	 * @return the capacity
	 */
	public long maxEntries() {
		return this.maxEntries;
	}

}
