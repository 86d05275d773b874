package io.github.captchasecurity.store.redis;

import java.time.Duration;

import io.github.captchasecurity.abuse.FailureCounter;

/**
 * A {@link FailureCounter} in Redis: one key {@code <prefix>f:<hash>} per counted key (a
 * hash of {@code ip:...}, {@code account:...}, {@code login-user:...}, so no address or
 * account reaches Redis), holding the count. The window is fixed and starts at the first
 * failure, as in memory: the first increment sets the key's TTL to the window, in the
 * same script; the count ends with the key. Reserving an attempt and giving it back are
 * one script each, so instances racing for a client's last attempts of a window never
 * exceed the limit together.
 */
final class RedisFailureCounter implements FailureCounter {

	private final RedisStoreOperations redis;

	private final String kind;

	RedisFailureCounter(RedisStoreOperations redis, String kind) {
		this.redis = redis;
		this.kind = kind;
	}

	@Override
	public long increment(String key, Duration window) {
		return this.redis.countInWindow(key(key), window).count();
	}

	@Override
	public Acquisition tryAcquire(String key, long limit, Duration window) {
		return (limit > 0 && this.redis.reserve(key(key), limit, window)) ? Acquisition.RESERVED : Acquisition.REFUSED;
	}

	@Override
	public void release(String key) {
		this.redis.release(key(key));
	}

	@Override
	public long count(String key) {
		String value = this.redis.get(key(key));
		if (value == null) {
			return 0;
		}
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	@Override
	public Duration remaining(String key) {
		return this.redis.timeToLive(key(key));
	}

	@Override
	public void reset(String key) {
		this.redis.delete(key(key));
	}

	private String key(String key) {
		return this.redis.key(this.kind, key);
	}

}
