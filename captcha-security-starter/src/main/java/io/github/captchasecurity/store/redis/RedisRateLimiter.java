package io.github.captchasecurity.store.redis;

import java.time.Duration;

import io.github.captchasecurity.provider.builtin.RateLimiter;

/**
 * A fixed-window {@link RateLimiter} in Redis shared by every instance: one script per
 * request counts it under {@code <prefix>l:<hash>} and answers the window's remaining
 * time, as the memory limiter does.
 */
final class RedisRateLimiter implements RateLimiter {

	private final RedisStoreOperations redis;

	RedisRateLimiter(RedisStoreOperations redis) {
		this.redis = redis;
	}

	@Override
	public Duration acquire(String key, int limit, Duration window) {
		RedisStoreOperations.Window counted = this.redis.countInWindow(this.redis.key("l", key), window);
		if (counted.count() <= limit) {
			return Duration.ZERO;
		}
		return counted.remaining().isZero() ? Duration.ofSeconds(1) : counted.remaining();
	}

}
