package io.github.captchasecurity.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CaffeineReplayCache}. Time is a fake {@link Ticker}: nothing sleeps.
 */
class CaffeineReplayCacheTests {

	private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

	private static final String OTHER_DIGEST = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final CaffeineReplayCache cache = new CaffeineReplayCache(1000, this.ticker);

	private ExecutorService executor;

	@AfterEach
	void shutDownExecutor() {
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	@Test
	void markUsedWhenFirstUseThenTrue() {
		assertThat(this.cache.markUsed(DIGEST, Duration.ofMinutes(2))).isTrue();
	}

	@Test
	void markUsedWhenSecondUseThenFalse() {
		this.cache.markUsed(DIGEST, Duration.ofMinutes(2));

		assertThat(this.cache.markUsed(DIGEST, Duration.ofMinutes(2))).isFalse();
		assertThat(this.cache.markUsed(DIGEST, Duration.ofMinutes(2))).isFalse();
	}

	@Test
	void markUsedWhenDifferentDigestsThenEachFirstUse() {
		assertThat(this.cache.markUsed(DIGEST, Duration.ofMinutes(2))).isTrue();
		assertThat(this.cache.markUsed(OTHER_DIGEST, Duration.ofMinutes(2))).isTrue();
	}

	@Test
	void markUsedWhenJustBeforeTtlThenStillUsed() {
		this.cache.markUsed(DIGEST, Duration.ofSeconds(125));

		advance(Duration.ofSeconds(125).minusNanos(1));

		assertThat(this.cache.markUsed(DIGEST, Duration.ofSeconds(125))).isFalse();
	}

	@Test
	void markUsedWhenTtlPassedThenUsableAgain() {
		this.cache.markUsed(DIGEST, Duration.ofSeconds(125));
		advance(Duration.ofSeconds(124));
		assertThat(this.cache.markUsed(DIGEST, Duration.ofSeconds(125))).isFalse();

		advance(Duration.ofSeconds(2));

		assertThat(this.cache.markUsed(DIGEST, Duration.ofSeconds(125))).isTrue();
		assertThat(this.cache.markUsed(DIGEST, Duration.ofSeconds(125))).isFalse();
	}

	@Test
	void markUsedWhenCheckedAgainBeforeExpiryThenTtlNotExtended() {
		this.cache.markUsed(DIGEST, Duration.ofSeconds(60));
		advance(Duration.ofSeconds(50));
		this.cache.markUsed(DIGEST, Duration.ofSeconds(60));

		advance(Duration.ofSeconds(11));

		assertThat(this.cache.markUsed(DIGEST, Duration.ofSeconds(60))).isTrue();
	}

	@Test
	void markUsedWhenEntriesHaveDifferentTtlsThenEachExpiresOnItsOwn() {
		this.cache.markUsed(DIGEST, Duration.ofSeconds(10));
		this.cache.markUsed(OTHER_DIGEST, Duration.ofSeconds(60));

		advance(Duration.ofSeconds(11));

		assertThat(this.cache.markUsed(DIGEST, Duration.ofSeconds(10))).isTrue();
		assertThat(this.cache.markUsed(OTHER_DIGEST, Duration.ofSeconds(60))).isFalse();

		advance(Duration.ofSeconds(50));

		assertThat(this.cache.markUsed(OTHER_DIGEST, Duration.ofSeconds(60))).isTrue();
	}

	@Test
	void forgetWhenDigestMarkedThenUsableAgain() {
		this.cache.markUsed(DIGEST, Duration.ofMinutes(2));

		this.cache.forget(DIGEST);

		assertThat(this.cache.markUsed(DIGEST, Duration.ofMinutes(2))).isTrue();
	}

	@Test
	void forgetWhenOtherDigestThenStillUsed() {
		this.cache.markUsed(DIGEST, Duration.ofMinutes(2));

		this.cache.forget(OTHER_DIGEST);

		assertThat(this.cache.markUsed(DIGEST, Duration.ofMinutes(2))).isFalse();
	}

	@Test
	void forgetWhenDigestUnknownThenNoError() {
		this.cache.forget(DIGEST);

		assertThat(this.cache.markUsed(DIGEST, Duration.ofMinutes(2))).isTrue();
	}

	@Test
	void estimatedSizeWhenDigestsMarkedThenCounted() {
		this.cache.markUsed(DIGEST, Duration.ofMinutes(2));
		this.cache.markUsed(OTHER_DIGEST, Duration.ofMinutes(2));
		this.cache.markUsed(OTHER_DIGEST, Duration.ofMinutes(2));

		assertThat(this.cache.estimatedSize()).isEqualTo(2);
	}

	// gh-8: a full cache used to evict live digests, so flooding it let a consumed token
	// through again
	@Test
	void tryMarkUsedWhenFullOfLiveEntriesThenNewDigestRefusedAndOldOnesKept() {
		CaffeineReplayCache small = new CaffeineReplayCache(100, this.ticker);
		for (int i = 0; i < 100; i++) {
			assertThat(small.tryMarkUsed(digest(i), Duration.ofMinutes(2))).isEqualTo(ReplayCache.Mark.FIRST_USE);
		}

		for (int i = 100; i < 400; i++) {
			assertThat(small.tryMarkUsed(digest(i), Duration.ofMinutes(2))).isEqualTo(ReplayCache.Mark.CACHE_FULL);
		}

		assertThat(small.estimatedSize()).isEqualTo(100);
		for (int i = 0; i < 100; i++) {
			assertThat(small.tryMarkUsed(digest(i), Duration.ofMinutes(2))).isEqualTo(ReplayCache.Mark.ALREADY_USED);
		}
		assertThat(small.markUsed(digest(400), Duration.ofMinutes(2))).isFalse();
	}

	@Test
	void tryMarkUsedWhenFullAndEntriesExpiredThenExpiredOnesReclaimed() {
		CaffeineReplayCache small = new CaffeineReplayCache(2, this.ticker);
		small.tryMarkUsed(digest(1), Duration.ofSeconds(10));
		small.tryMarkUsed(digest(2), Duration.ofMinutes(5));
		assertThat(small.tryMarkUsed(digest(3), Duration.ofMinutes(5))).isEqualTo(ReplayCache.Mark.CACHE_FULL);

		advance(Duration.ofSeconds(15));

		assertThat(small.tryMarkUsed(digest(3), Duration.ofMinutes(5))).isEqualTo(ReplayCache.Mark.FIRST_USE);
		assertThat(small.tryMarkUsed(digest(2), Duration.ofMinutes(5))).isEqualTo(ReplayCache.Mark.ALREADY_USED);
		assertThat(small.tryMarkUsed(digest(4), Duration.ofMinutes(5))).isEqualTo(ReplayCache.Mark.CACHE_FULL);
	}

	@Test
	void tryMarkUsedWhenFullAndDigestForgottenThenRoomAgain() {
		CaffeineReplayCache small = new CaffeineReplayCache(1, this.ticker);
		small.tryMarkUsed(digest(1), Duration.ofMinutes(2));

		small.forget(digest(1));

		assertThat(small.tryMarkUsed(digest(2), Duration.ofMinutes(2))).isEqualTo(ReplayCache.Mark.FIRST_USE);
	}

	@Test
	void tryMarkUsedWhenThreadsRaceForLastSlotsThenBoundHeldExactly() throws Exception {
		int threads = 8;
		this.executor = Executors.newFixedThreadPool(threads);
		CaffeineReplayCache small = new CaffeineReplayCache(50, this.ticker);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<ReplayCache.Mark>> results = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			String digest = digest(i);
			results.add(this.executor.submit(() -> {
				start.await();
				return small.tryMarkUsed(digest, Duration.ofMinutes(2));
			}));
		}
		start.countDown();
		int firstUses = 0;
		for (Future<ReplayCache.Mark> result : results) {
			if (result.get(10, TimeUnit.SECONDS) == ReplayCache.Mark.FIRST_USE) {
				firstUses++;
			}
		}

		assertThat(firstUses).isEqualTo(50);
		assertThat(small.estimatedSize()).isEqualTo(50);
	}

	@Test
	void tryMarkUsedWhenReplayCacheOnlyImplementsMarkUsedThenDefaultMapsBoolean() {
		ReplayCache legacy = new ReplayCache() {

			@Override
			public boolean markUsed(String tokenDigest, Duration ttl) {
				return DIGEST.equals(tokenDigest);
			}

			@Override
			public void forget(String tokenDigest) {
			}

		};

		assertThat(legacy.tryMarkUsed(DIGEST, Duration.ofMinutes(1))).isEqualTo(ReplayCache.Mark.FIRST_USE);
		assertThat(legacy.tryMarkUsed(OTHER_DIGEST, Duration.ofMinutes(1))).isEqualTo(ReplayCache.Mark.ALREADY_USED);
	}

	@ParameterizedTest
	@ValueSource(longs = { 0, -1, Long.MIN_VALUE })
	void constructorWhenMaxEntriesLessThanOneThenIllegalArgumentException(long maxEntries) {
		assertThatIllegalArgumentException().isThrownBy(() -> new CaffeineReplayCache(maxEntries))
			.withMessageContaining("maxEntries");
		assertThatIllegalArgumentException().isThrownBy(() -> new CaffeineReplayCache(maxEntries, this.ticker));
	}

	@Test
	void constructorWhenOneEntryThenAccepted() {
		CaffeineReplayCache single = new CaffeineReplayCache(1, this.ticker);

		assertThat(single.markUsed(DIGEST, Duration.ofMinutes(2))).isTrue();
		assertThat(single.markUsed(DIGEST, Duration.ofMinutes(2))).isFalse();
	}

	@Test
	void constructorWhenTickerNullThenNullPointerException() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new CaffeineReplayCache(10, null));
	}

	@Test
	void markUsedWhenArgumentNullThenNullPointerException() {
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> this.cache.markUsed(null, Duration.ofMinutes(2)));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> this.cache.markUsed(DIGEST, null));
	}

	@Test
	void markUsedWhenThreadsRaceOnSameDigestThenExactlyOneWins() throws Exception {
		int threads = 8;
		this.executor = Executors.newFixedThreadPool(threads);
		CaffeineReplayCache shared = new CaffeineReplayCache(10_000);
		for (int round = 0; round < 50; round++) {
			String digest = DIGEST.substring(0, 60) + String.format("%04d", round);
			CountDownLatch ready = new CountDownLatch(threads);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				results.add(this.executor.submit(() -> {
					ready.countDown();
					start.await();
					return shared.markUsed(digest, Duration.ofMinutes(2));
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			start.countDown();
			int winners = 0;
			for (Future<Boolean> result : results) {
				if (result.get(10, TimeUnit.SECONDS)) {
					winners++;
				}
			}
			assertThat(winners).as("winners in round %d", round).isEqualTo(1);
		}
	}

	@Test
	void forgetWhenManyDigestsShareSegmentsThenOthersStayUsed() {
		for (int i = 0; i < 900; i++) {
			this.cache.tryMarkUsed(digest(i), Duration.ofMinutes(2));
		}

		for (int i = 0; i < 900; i += 2) {
			this.cache.forget(digest(i));
		}

		for (int i = 0; i < 900; i++) {
			assertThat(this.cache.tryMarkUsed(digest(i), Duration.ofMinutes(2)))
				.isEqualTo((i % 2 == 0) ? ReplayCache.Mark.FIRST_USE : ReplayCache.Mark.ALREADY_USED);
		}
		assertThat(this.cache.estimatedSize()).isEqualTo(900);
	}

	@Test
	void tryMarkUsedWhenDigestsAreNotHexThenEachKeptApart() {
		assertThat(this.cache.tryMarkUsed("builtin:pass:a", Duration.ofMinutes(2)))
			.isEqualTo(ReplayCache.Mark.FIRST_USE);
		assertThat(this.cache.tryMarkUsed("builtin:pass:b", Duration.ofMinutes(2)))
			.isEqualTo(ReplayCache.Mark.FIRST_USE);
		assertThat(this.cache.tryMarkUsed("builtin:pass:a", Duration.ofMinutes(2)))
			.isEqualTo(ReplayCache.Mark.ALREADY_USED);
		assertThat(this.cache.tryMarkUsed(DIGEST.toUpperCase(Locale.ROOT), Duration.ofMinutes(2)))
			.isEqualTo(ReplayCache.Mark.FIRST_USE);
	}

	@Test
	void tryMarkUsedWhenExpiredEntriesAndGrowthThenLiveOnesKept() {
		for (int i = 0; i < 500; i++) {
			this.cache.tryMarkUsed(digest(i), Duration.ofSeconds(10));
		}
		advance(Duration.ofSeconds(11));
		for (int i = 500; i < 1000; i++) {
			assertThat(this.cache.tryMarkUsed(digest(i), Duration.ofMinutes(2))).isEqualTo(ReplayCache.Mark.FIRST_USE);
		}

		for (int i = 500; i < 1000; i++) {
			assertThat(this.cache.tryMarkUsed(digest(i), Duration.ofMinutes(2)))
				.isEqualTo(ReplayCache.Mark.ALREADY_USED);
		}
		assertThat(this.cache.tryMarkUsed(digest(3), Duration.ofMinutes(2))).isEqualTo(ReplayCache.Mark.FIRST_USE);
	}

	private static String digest(int n) {
		return String.format("%064x", n);
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
