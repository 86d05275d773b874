package io.github.captchasecurity.replay;

import java.time.Duration;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A {@link ReplayCache} local to this JVM, on Caffeine. Each entry lives for the TTL it was marked with;
 * the cache holds at most {@code maxEntries} digests (the least recently used are evicted first, after which
 * the provider's own single-use check is the remaining guard).
 *
 * @since 0.1.0
 */
public final class CaffeineReplayCache implements ReplayCache {

	private final Cache<String, Duration> digests;

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
		this.digests = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.ticker(ticker)
			.expireAfter(Expiry.creating((String key, Duration ttl) -> ttl))
			.build();
	}

	@Override
	public boolean markUsed(String tokenDigest, Duration ttl) {
		Objects.requireNonNull(tokenDigest, "tokenDigest");
		Objects.requireNonNull(ttl, "ttl");
		return this.digests.asMap().putIfAbsent(tokenDigest, ttl) == null;
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

}
