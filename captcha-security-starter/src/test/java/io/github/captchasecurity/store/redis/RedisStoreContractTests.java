package io.github.captchasecurity.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.provider.builtin.RateLimiter;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.store.CaptchaStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store contract against the Redis implementations on a real redis-server, plus what
 * only Redis has: the key layout (hashed, prefixed, every key with a TTL) and a server
 * that goes away and comes back.
 */
class RedisStoreContractTests extends StoreContractTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static LettuceConnectionFactory connectionFactory;

	private static RedisStoreOperations operations;

	@BeforeAll
	static void connect() {
		connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		operations = new RedisStoreOperations(new ReactiveStringRedisTemplate(connectionFactory), "test:",
				Duration.ofMillis(300));
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	ReplayCache replayCache() {
		return new RedisReplayCache(operations);
	}

	@Override
	FailureCounter failureCounter() {
		return new RedisFailureCounter(operations, "f");
	}

	@Override
	ChallengeStore challengeStore() {
		return new RedisChallengeStore(operations);
	}

	@Override
	RateLimiter rateLimiter() {
		return new RedisRateLimiter(operations);
	}

	@Override
	void elapse(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	@Test
	void keysArePrefixedHashesWithATtlAndNeverHoldTokensAddressesAccountsOrAnswers() {
		redis.flushAll();
		replayCache().markUsed("builtin:pass:raw-token-value", Duration.ofMinutes(1));
		failureCounter().increment("ip:203.0.113.7", Duration.ofMinutes(1));
		failureCounter().increment("login-user:alice", Duration.ofMinutes(1));
		rateLimiter().acquire("generate:site", 10, Duration.ofHours(1));
		challengeStore().save(new Challenge("challenge-id", "site", ChallengeType.IMAGE, "SECRETANSWER", null,
				"203.0.113.7", Instant.now().plusSeconds(60)), Duration.ofMinutes(1));
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(connectionFactory);

		List<String> keys = Objects.requireNonNull(template.keys("*").collectList().block());

		assertThat(keys).hasSize(5).allMatch((key) -> key.matches("test:[rflc]:[A-Za-z0-9_-]{16}"), "hashed key");
		assertThat(String.join(" ", keys)).doesNotContain("raw-token", "203.0.113", "alice", "SECRET", "site",
				"challenge-id");
		for (String key : keys) {
			assertThat(template.getExpire(key).block()).as("TTL of %s", key).isPositive();
		}
	}

	@Test
	void aStoppedServerIsAStoreErrorWithinTheTimeoutAndARestartedOneServesAgain() throws Exception {
		ReplayCache cache = replayCache();
		assertThat(cache.markUsed(unique("d"), Duration.ofMinutes(1))).isTrue();
		redis.stop();
		try {
			long start = System.nanoTime();
			assertThatExceptionOfType(CaptchaStoreException.class)
				.isThrownBy(() -> cache.markUsed(unique("d"), Duration.ofMinutes(1)))
				.withMessageStartingWith("Redis SET NX");
			assertThatExceptionOfType(CaptchaStoreException.class)
				.isThrownBy(() -> failureCounter().increment(unique("ip:"), Duration.ofMinutes(1)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2 * 300 + 400));
		}
		finally {
			redis.start();
		}
		String digest = unique("d");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		Boolean first = null;
		while (first == null && System.nanoTime() < deadline) {
			try {
				first = cache.markUsed(digest, Duration.ofMinutes(1));
			}
			catch (CaptchaStoreException ex) {
				Thread.sleep(100);
			}
		}
		assertThat(first).isTrue();
		assertThat(cache.markUsed(digest, Duration.ofMinutes(1))).isFalse();
	}

}
