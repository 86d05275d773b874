package io.github.captchasecurity.provider.builtin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * Tests for {@link CaffeineChallengeStore}. Time is a fake {@link Ticker}: nothing
 * sleeps.
 */
class CaffeineChallengeStoreTests {

	private static final Instant EXPIRES = Instant.parse("2026-01-01T12:05:00Z");

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final CaffeineChallengeStore store = new CaffeineChallengeStore(1000, this.ticker);

	private ExecutorService executor;

	@AfterEach
	void shutDownExecutor() {
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	@Test
	void takeWhenSavedThenReturnedOnce() {
		Challenge challenge = challenge("id-1");
		this.store.save(challenge, Duration.ofMinutes(5));

		assertThat(this.store.take("id-1")).isSameAs(challenge);
		assertThat(this.store.take("id-1")).isNull();
	}

	@Test
	void peekWhenSavedThenReturnedAndStillTakenOnce() {
		Challenge challenge = challenge("id-1");
		this.store.save(challenge, Duration.ofMinutes(5));

		assertThat(this.store.peek("id-1")).isSameAs(challenge);
		assertThat(this.store.take("id-1")).isSameAs(challenge);
		assertThat(this.store.peek("id-1")).isNull();
	}

	@Test
	void takeWhenUnknownThenNull() {
		this.store.save(challenge("id-1"), Duration.ofMinutes(5));

		assertThat(this.store.take("id-2")).isNull();
		assertThat(this.store.take("id-1")).isNotNull();
	}

	@Test
	void takeWhenJustBeforeTtlThenReturned() {
		this.store.save(challenge("id-1"), Duration.ofMinutes(5));

		advance(Duration.ofMinutes(5).minusNanos(1));

		assertThat(this.store.take("id-1")).isNotNull();
	}

	@Test
	void takeWhenTtlPassedThenNull() {
		this.store.save(challenge("id-1"), Duration.ofMinutes(5));

		advance(Duration.ofMinutes(5).plusNanos(1));

		assertThat(this.store.take("id-1")).isNull();
	}

	@Test
	void takeWhenEntriesHaveDifferentTtlsThenEachExpiresOnItsOwn() {
		this.store.save(challenge("short"), Duration.ofSeconds(10));
		this.store.save(challenge("long"), Duration.ofMinutes(5));

		advance(Duration.ofSeconds(11));

		assertThat(this.store.take("short")).isNull();
		assertThat(this.store.take("long")).isNotNull();
	}

	@Test
	void saveWhenSameIdAgainThenReplaced() {
		Challenge second = new Challenge("id-1", "site", ChallengeType.MATH, "12", null, null, EXPIRES);
		this.store.save(challenge("id-1"), Duration.ofMinutes(5));

		this.store.save(second, Duration.ofMinutes(5));

		assertThat(this.store.take("id-1")).isSameAs(second);
	}

	@Test
	void takeWhenEightThreadsRaceForOneIdThenExactlyOneGetsIt() throws Exception {
		int threads = 8;
		this.executor = Executors.newFixedThreadPool(threads);
		CaffeineChallengeStore shared = new CaffeineChallengeStore(10_000);
		for (int round = 0; round < 50; round++) {
			String id = "race-" + round;
			shared.save(challenge(id), Duration.ofMinutes(5));
			CountDownLatch ready = new CountDownLatch(threads);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Challenge>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				results.add(this.executor.submit(() -> {
					ready.countDown();
					start.await();
					return shared.take(id);
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			start.countDown();
			List<Challenge> taken = new ArrayList<>();
			for (Future<Challenge> result : results) {
				taken.add(result.get(10, TimeUnit.SECONDS));
			}
			assertThat(taken.stream().filter(Objects::nonNull).count()).as("winners in round %d", round).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@ValueSource(longs = { 0, -1 })
	void constructorWhenMaxEntriesLessThanOneThenIllegalArgumentException(long maxEntries) {
		assertThatIllegalArgumentException().isThrownBy(() -> new CaffeineChallengeStore(maxEntries, this.ticker))
			.withMessageContaining("maxEntries");
	}

	@Test
	void constructorWhenTickerNullThenNullPointerException() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new CaffeineChallengeStore(10, null));
	}

	private static Challenge challenge(String id) {
		return new Challenge(id, "site", ChallengeType.IMAGE, "ACDE7", null, null, EXPIRES);
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
