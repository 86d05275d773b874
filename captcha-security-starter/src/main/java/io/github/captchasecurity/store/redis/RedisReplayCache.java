package io.github.captchasecurity.store.redis;

import java.time.Duration;

import io.github.captchasecurity.replay.ReplayCache;

/**
 * A {@link ReplayCache} in Redis: first use wins with
 * {@code SET <prefix>r:<hash> 1 NX PX ttl}. The key is a hash of the digest the engine
 * passes, never a token.
 */
final class RedisReplayCache implements ReplayCache {

	private final RedisStoreOperations redis;

	RedisReplayCache(RedisStoreOperations redis) {
		this.redis = redis;
	}

	@Override
	public boolean markUsed(String tokenDigest, Duration ttl) {
		return this.redis.setIfAbsent(key(tokenDigest), "1", ttl);
	}

	@Override
	public void forget(String tokenDigest) {
		this.redis.delete(key(tokenDigest));
	}

	private String key(String tokenDigest) {
		return this.redis.key("r", tokenDigest);
	}

}
