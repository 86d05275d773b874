package io.github.captchasecurity.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.provider.builtin.RateLimiter;
import io.github.captchasecurity.replay.ReplayCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every implementation of the store interfaces must do, the same assertions for the
 * memory and the Redis implementations: single use under concurrency, fixed windows that
 * start at the first failure, TTLs, resets. Subclasses supply the stores and a way to let
 * time pass (a fake clock where the store allows it).
 */
abstract class StoreContractTests {

	/** A short window, so that the Redis subclass can wait it out in real time. */
	static final Duration WINDOW = Duration.ofMillis(400);

	abstract ReplayCache replayCache();

	abstract FailureCounter failureCounter();

	abstract ChallengeStore challengeStore();

	abstract RateLimiter rateLimiter();

	/** Let time pass for the stores. */
	abstract void elapse(Duration duration) throws InterruptedException;

	static String unique(String prefix) {
		return prefix + UUID.randomUUID();
	}

	// --- replay cache ---

	@Test
	void replayCacheAcceptsADigestOnceAndOthersIndependently() {
		ReplayCache cache = replayCache();
		String digest = unique("d");

		assertThat(cache.markUsed(digest, Duration.ofMinutes(1))).isTrue();
		assertThat(cache.markUsed(digest, Duration.ofMinutes(1))).isFalse();
		assertThat(cache.markUsed(unique("other"), Duration.ofMinutes(1))).isTrue();
	}

	@Test
	void replayCacheForgetLetsTheDigestBeUsedAgain() {
		ReplayCache cache = replayCache();
		String digest = unique("d");
		cache.markUsed(digest, Duration.ofMinutes(1));

		cache.forget(digest);

		assertThat(cache.markUsed(digest, Duration.ofMinutes(1))).isTrue();
		cache.forget(unique("never-marked"));
	}

	@Test
	void replayCacheForgetsADigestAfterItsTtl() throws InterruptedException {
		ReplayCache cache = replayCache();
		String digest = unique("d");
		cache.markUsed(digest, WINDOW);

		elapse(WINDOW.plusMillis(100));

		assertThat(cache.markUsed(digest, WINDOW)).isTrue();
	}

	@Test
	void replayCacheGivesExactlyOneOfManyConcurrentCallsTheFirstUse() throws Exception {
		ReplayCache cache = replayCache();
		String digest = unique("d");

		List<Boolean> results = concurrently(32, () -> cache.markUsed(digest, Duration.ofMinutes(1)));

		assertThat(results).containsOnlyOnce(true);
	}

	// --- failure counter ---

	@Test
	void failureCounterCountsInAWindowAndReportsWhatIsLeftOfIt() {
		FailureCounter counter = failureCounter();
		String key = unique("ip:");

		assertThat(counter.count(key)).isZero();
		assertThat(counter.remaining(key)).isZero();
		assertThat(counter.increment(key, Duration.ofMinutes(1))).isEqualTo(1);
		assertThat(counter.increment(key, Duration.ofMinutes(1))).isEqualTo(2);
		assertThat(counter.increment(key, Duration.ofMinutes(1))).isEqualTo(3);

		assertThat(counter.count(key)).isEqualTo(3);
		assertThat(counter.remaining(key)).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
		assertThat(counter.count(unique("ip:"))).isZero();
	}

	@Test
	void failureCounterWindowStartsAtTheFirstFailureAndIsNotExtendedByLaterOnes() throws InterruptedException {
		FailureCounter counter = failureCounter();
		String key = unique("ip:");
		counter.increment(key, WINDOW);
		elapse(WINDOW.dividedBy(2));
		counter.increment(key, WINDOW);
		assertThat(counter.remaining(key)).isLessThanOrEqualTo(WINDOW.dividedBy(2));

		elapse(WINDOW.dividedBy(2).plusMillis(100));

		assertThat(counter.count(key)).isZero();
		assertThat(counter.remaining(key)).isZero();
		assertThat(counter.increment(key, WINDOW)).isEqualTo(1);
	}

	@Test
	void failureCounterResetForgetsTheKeyOnly() {
		FailureCounter counter = failureCounter();
		String key = unique("account:");
		String other = unique("account:");
		counter.increment(key, Duration.ofMinutes(1));
		counter.increment(other, Duration.ofMinutes(1));

		counter.reset(key);

		assertThat(counter.count(key)).isZero();
		assertThat(counter.remaining(key)).isZero();
		assertThat(counter.count(other)).isEqualTo(1);
		assertThat(counter.increment(key, Duration.ofMinutes(1))).isEqualTo(1);
	}

	@Test
	void failureCounterLosesNoConcurrentIncrement() throws Exception {
		FailureCounter counter = failureCounter();
		String key = unique("ip:");

		List<Long> results = concurrently(50, () -> counter.increment(key, Duration.ofMinutes(1)));

		assertThat(results).doesNotHaveDuplicates().hasSize(50);
		assertThat(counter.count(key)).isEqualTo(50);
	}

	@Test
	void failureCounterReservesAtMostTheLimitOfManyConcurrentAttempts() throws Exception {
		FailureCounter counter = failureCounter();
		String key = unique("ip:");

		List<FailureCounter.Acquisition> results = concurrently(50,
				() -> counter.tryAcquire(key, 10, Duration.ofMinutes(1)));

		assertThat(results).filteredOn((acquisition) -> acquisition == FailureCounter.Acquisition.RESERVED).hasSize(10);
		assertThat(results).filteredOn((acquisition) -> acquisition == FailureCounter.Acquisition.REFUSED).hasSize(40);
		assertThat(counter.count(key)).isEqualTo(10);
		assertThat(counter.remaining(key)).isPositive();
	}

	@Test
	void failureCounterReleaseGivesAReservationBackWithinItsWindowOnly() throws InterruptedException {
		FailureCounter counter = failureCounter();
		String key = unique("ip:");

		assertThat(counter.tryAcquire(key, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
		assertThat(counter.tryAcquire(key, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
		assertThat(counter.tryAcquire(key, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.REFUSED);
		counter.release(key);
		assertThat(counter.count(key)).isEqualTo(1);
		assertThat(counter.tryAcquire(key, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
		elapse(WINDOW.plusMillis(200));
		counter.release(key);
		assertThat(counter.count(key)).isZero();
		assertThat(counter.tryAcquire(key, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
		assertThat(counter.count(key)).isEqualTo(1);
	}

	// --- challenge store ---

	@Test
	void challengeStoreHandsAChallengeOutOnceWithEverythingItWasSavedWith() {
		ChallengeStore store = challengeStore();
		Challenge challenge = new Challenge(unique("id"), "site-key", ChallengeType.GRID, "1,4,7", "login",
				"203.0.113.7", Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS));
		store.save(challenge, Duration.ofMinutes(1));

		Challenge taken = store.take(challenge.id());

		assertThat(taken).isEqualTo(challenge);
		assertThat(store.take(challenge.id())).isNull();
	}

	@Test
	void challengeStorePeekReadsAChallengeWithoutTakingIt() {
		ChallengeStore store = challengeStore();
		Challenge challenge = new Challenge(unique("id"), "site-key", ChallengeType.IMAGE, "ACDEF", null, "203.0.113.7",
				Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS));
		store.save(challenge, Duration.ofMinutes(1));

		assertThat(store.peek(challenge.id())).isEqualTo(challenge);
		assertThat(store.peek(challenge.id())).isEqualTo(challenge);
		assertThat(store.take(challenge.id())).isEqualTo(challenge);
		assertThat(store.peek(challenge.id())).isNull();
		assertThat(store.peek(unique("unknown"))).isNull();
	}

	@Test
	void challengeStoreKeepsAbsentActionAndClientIpAbsent() {
		ChallengeStore store = challengeStore();
		Challenge challenge = new Challenge(unique("id"), "site-key", ChallengeType.MATH, "12", null, null,
				Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS));
		store.save(challenge, Duration.ofMinutes(1));

		assertThat(store.take(challenge.id())).isEqualTo(challenge);
	}

	@Test
	void challengeStoreForgetsUnknownAndExpiredChallenges() throws InterruptedException {
		ChallengeStore store = challengeStore();
		Challenge challenge = new Challenge(unique("id"), "site-key", ChallengeType.IMAGE, "ACDEF", null, null,
				Instant.now().plus(WINDOW).truncatedTo(ChronoUnit.MILLIS));
		store.save(challenge, WINDOW);
		assertThat(store.take(unique("unknown"))).isNull();

		elapse(WINDOW.plusMillis(100));

		assertThat(store.take(challenge.id())).isNull();
	}

	@Test
	void challengeStoreGivesAChallengeToOnlyOneOfManyConcurrentTakers() throws Exception {
		ChallengeStore store = challengeStore();
		Challenge challenge = new Challenge(unique("id"), "site-key", ChallengeType.IMAGE, "ACDEF", null, null,
				Instant.now().plusSeconds(60));
		store.save(challenge, Duration.ofMinutes(1));

		List<Boolean> taken = concurrently(32, () -> store.take(challenge.id()) != null);

		assertThat(taken).containsOnlyOnce(true);
	}

	// --- rate limiter ---

	@Test
	void rateLimiterAllowsTheLimitPerWindowThenSaysHowLongToWait() throws InterruptedException {
		RateLimiter limiter = rateLimiter();
		String key = unique("generate:");
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.acquire(key, 3, WINDOW)).isZero();
		}

		assertThat(limiter.acquire(key, 3, WINDOW)).isPositive().isLessThanOrEqualTo(WINDOW);
		assertThat(limiter.acquire(unique("generate:"), 3, WINDOW)).isZero();

		elapse(WINDOW.plusMillis(100));
		assertThat(limiter.acquire(key, 3, WINDOW)).isZero();
	}

	static <T> List<T> concurrently(int callers, Callable<T> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(Math.min(callers, 16));
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				futures.add(pool.submit(() -> {
					start.await();
					return call.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(Objects.requireNonNull(future.get()));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
