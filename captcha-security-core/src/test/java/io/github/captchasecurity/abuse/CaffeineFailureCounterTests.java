package io.github.captchasecurity.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.captchasecurity.provider.builtin.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CaffeineFailureCounter} and {@link AbuseSettings}. Time is a clock
 * moved by hand: nothing sleeps.
 */
class CaffeineFailureCounterTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final Duration WINDOW = Duration.ofMinutes(15);

	private static final String KEY = "ip:198.51.100.7";

	private static final String OTHER_KEY = "account:alice";

	private final MutableClock clock = new MutableClock(START);

	private final CaffeineFailureCounter counter = new CaffeineFailureCounter(1000, this.clock);

	private ExecutorService executor;

	@AfterEach
	void shutDownExecutor() {
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	@Test
	void countWhenNothingCountedThenZeroAndNoRemainingTime() {
		assertThat(this.counter.count(KEY)).isZero();
		assertThat(this.counter.remaining(KEY)).isEqualTo(Duration.ZERO);
	}

	@Test
	void incrementWhenWithinWindowThenCountsUp() {
		assertThat(this.counter.increment(KEY, WINDOW)).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.counter.increment(KEY, WINDOW)).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(this.counter.increment(KEY, WINDOW)).isEqualTo(3);

		assertThat(this.counter.count(KEY)).isEqualTo(3);
	}

	@Test
	void countWhenJustBeforeWindowEndsThenStillCounted() {
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);

		this.clock.advance(WINDOW.minusNanos(1));

		assertThat(this.counter.count(KEY)).isEqualTo(2);
	}

	@Test
	void countWhenWindowEndedThenZero() {
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);

		this.clock.advance(WINDOW);

		assertThat(this.counter.count(KEY)).isZero();
		assertThat(this.counter.remaining(KEY)).isEqualTo(Duration.ZERO);
	}

	@Test
	void remainingWhenWindowOpenThenTimeLeftSinceFirstFailure() {
		this.counter.increment(KEY, WINDOW);
		this.clock.advance(Duration.ofMinutes(4));
		this.counter.increment(KEY, WINDOW);
		this.clock.advance(Duration.ofSeconds(30));

		// the window is fixed: later failures do not extend it
		assertThat(this.counter.remaining(KEY)).isEqualTo(Duration.ofMinutes(10).plusSeconds(30));
	}

	@Test
	void incrementWhenWindowEndedThenNewWindowStartsAtOne() {
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);
		this.clock.advance(WINDOW.plusSeconds(1));

		assertThat(this.counter.increment(KEY, WINDOW)).isEqualTo(1);
		assertThat(this.counter.count(KEY)).isEqualTo(1);
		assertThat(this.counter.remaining(KEY)).isEqualTo(WINDOW);
	}

	@Test
	void incrementWhenExactlyAtWindowEndThenNewWindow() {
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);
		this.clock.advance(WINDOW);

		assertThat(this.counter.increment(KEY, WINDOW)).isEqualTo(1);
	}

	@Test
	void resetWhenCountedThenZeroAndNextFailureStartsFreshWindow() {
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);
		this.clock.advance(Duration.ofMinutes(10));

		this.counter.reset(KEY);

		assertThat(this.counter.count(KEY)).isZero();
		assertThat(this.counter.remaining(KEY)).isEqualTo(Duration.ZERO);
		assertThat(this.counter.increment(KEY, WINDOW)).isEqualTo(1);
		assertThat(this.counter.remaining(KEY)).isEqualTo(WINDOW);
	}

	@Test
	void resetWhenUnknownKeyThenNothingHappens() {
		this.counter.increment(KEY, WINDOW);

		this.counter.reset(OTHER_KEY);

		assertThat(this.counter.count(KEY)).isEqualTo(1);
	}

	@Test
	void incrementWhenDifferentKeysThenCountedIndependently() {
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);
		this.clock.advance(Duration.ofMinutes(10));
		this.counter.increment(OTHER_KEY, WINDOW);

		assertThat(this.counter.count(KEY)).isEqualTo(2);
		assertThat(this.counter.count(OTHER_KEY)).isEqualTo(1);
		assertThat(this.counter.remaining(KEY)).isEqualTo(Duration.ofMinutes(5));
		assertThat(this.counter.remaining(OTHER_KEY)).isEqualTo(WINDOW);

		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.counter.count(KEY)).isZero();
		assertThat(this.counter.count(OTHER_KEY)).isEqualTo(1);

		this.counter.reset(OTHER_KEY);
		assertThat(this.counter.count(OTHER_KEY)).isZero();
	}

	@Test
	void incrementWhenWindowsOfDifferentLengthPerKeyThenEachKeepsItsOwn() {
		this.counter.increment(KEY, Duration.ofMinutes(1));
		this.counter.increment(OTHER_KEY, Duration.ofHours(1));

		this.clock.advance(Duration.ofMinutes(2));

		assertThat(this.counter.count(KEY)).isZero();
		assertThat(this.counter.count(OTHER_KEY)).isEqualTo(1);
	}

	@Test
	void incrementWhenEightThreadsIncrementOneKeyThenNoUpdateLost() throws Exception {
		int threads = 8;
		int perThread = 100;
		this.executor = Executors.newFixedThreadPool(threads);
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Long>> highest = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			highest.add(this.executor.submit(() -> {
				ready.countDown();
				start.await();
				long max = 0;
				for (int n = 0; n < perThread; n++) {
					max = Math.max(max, this.counter.increment(KEY, WINDOW));
				}
				return max;
			}));
		}
		assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
		start.countDown();
		long overall = 0;
		for (Future<Long> result : highest) {
			overall = Math.max(overall, result.get(10, TimeUnit.SECONDS));
		}

		assertThat(this.counter.count(KEY)).isEqualTo(threads * perThread);
		assertThat(overall).isEqualTo(threads * perThread);
	}

	// --- AbuseSettings

	@Test
	void abuseSettingsWhenDefaultsThenThreeTenAndFifteenMinutes() {
		assertThat(AbuseSettings.ofDefaults()).isEqualTo(new AbuseSettings(3, 10, Duration.ofMinutes(15)));
	}

	@Test
	void abuseSettingsWhenThresholdsZeroThenAccepted() {
		AbuseSettings settings = new AbuseSettings(0, 0, Duration.ofSeconds(1));

		assertThat(settings.stepUpAfter()).isZero();
		assertThat(settings.blockAfter()).isZero();
	}

	@Test
	void abuseSettingsWhenNegativeThresholdThenIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AbuseSettings(-1, 10, WINDOW));
		assertThatIllegalArgumentException().isThrownBy(() -> new AbuseSettings(3, -1, WINDOW));
	}

	@Test
	void abuseSettingsWhenWindowNotPositiveThenIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AbuseSettings(3, 10, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> new AbuseSettings(3, 10, Duration.ofSeconds(-1)));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new AbuseSettings(3, 10, null));
	}

	// --- reservations (gh-8: the threshold was checked, then incremented, in separate
	// steps)

	@Test
	void tryAcquireWhenUnderLimitThenReservedAndCounted() {
		assertThat(this.counter.tryAcquire(KEY, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
		assertThat(this.counter.tryAcquire(KEY, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);

		assertThat(this.counter.tryAcquire(KEY, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.REFUSED);
		assertThat(this.counter.count(KEY)).isEqualTo(2);
		assertThat(this.counter.count(OTHER_KEY)).isZero();
	}

	@Test
	void releaseWhenReservedThenGivenBack() {
		this.counter.tryAcquire(KEY, 1, WINDOW);
		assertThat(this.counter.tryAcquire(KEY, 1, WINDOW)).isEqualTo(FailureCounter.Acquisition.REFUSED);

		this.counter.release(KEY);

		assertThat(this.counter.count(KEY)).isZero();
		assertThat(this.counter.tryAcquire(KEY, 1, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
	}

	@Test
	void releaseWhenNothingCountedOrWindowEndedThenNoNegativeCount() {
		this.counter.release(KEY);
		this.counter.tryAcquire(KEY, 5, WINDOW);
		this.clock.advance(WINDOW);

		this.counter.release(KEY);

		assertThat(this.counter.count(KEY)).isZero();
		assertThat(this.counter.tryAcquire(KEY, 1, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
	}

	@Test
	void tryAcquireWhenWindowEndedThenNewWindow() {
		this.counter.increment(KEY, WINDOW);
		this.counter.increment(KEY, WINDOW);
		assertThat(this.counter.tryAcquire(KEY, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.REFUSED);

		this.clock.advance(WINDOW);

		assertThat(this.counter.tryAcquire(KEY, 2, WINDOW)).isEqualTo(FailureCounter.Acquisition.RESERVED);
		assertThat(this.counter.remaining(KEY)).isEqualTo(WINDOW);
	}

	@Test
	void tryAcquireWhenFiftyThreadsRaceThenExactlyLimitReserved() throws Exception {
		int threads = 8;
		this.executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<FailureCounter.Acquisition>> results = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			results.add(this.executor.submit(() -> {
				start.await();
				return this.counter.tryAcquire(KEY, 10, WINDOW);
			}));
		}
		start.countDown();
		int reserved = 0;
		for (Future<FailureCounter.Acquisition> result : results) {
			if (result.get(10, TimeUnit.SECONDS) == FailureCounter.Acquisition.RESERVED) {
				reserved++;
			}
		}

		assertThat(reserved).isEqualTo(10);
		assertThat(this.counter.count(KEY)).isEqualTo(10);
	}

	// a time read before the atomic update could predate a window another thread had just
	// opened, which looked
	// like a clock going back: the window restarted and the limit was reserved twice
	@Test
	void tryAcquireWhenClockTicksBetweenRacingThreadsThenWindowNotRestarted() throws Exception {
		AtomicLong micros = new AtomicLong();
		Clock ticking = new Clock() {

			@Override
			public Instant instant() {
				Instant now = START.plus(micros.incrementAndGet(), ChronoUnit.MICROS);
				// widen the gap between reading the time and using it
				Thread.yield();
				return now;
			}

			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				return this;
			}

		};
		CaffeineFailureCounter counter = new CaffeineFailureCounter(1000, ticking);
		this.executor = Executors.newFixedThreadPool(16);
		for (int round = 0; round < 20; round++) {
			String key = KEY + "#" + round;
			CountDownLatch start = new CountDownLatch(1);
			List<Future<FailureCounter.Acquisition>> results = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				results.add(this.executor.submit(() -> {
					start.await();
					return counter.tryAcquire(key, 10, WINDOW);
				}));
			}
			start.countDown();
			int reserved = 0;
			for (Future<FailureCounter.Acquisition> result : results) {
				if (result.get(10, TimeUnit.SECONDS) == FailureCounter.Acquisition.RESERVED) {
					reserved++;
				}
			}
			assertThat(reserved).as("reserved in round %d", round).isEqualTo(10);
		}
	}

	@Test
	void tryAcquireWhenCounterOnlyImplementsThe010MethodsThenAllowedWithoutCounting() {
		FailureCounter legacy = new FailureCounter() {

			@Override
			public long increment(String key, Duration window) {
				return 0;
			}

			@Override
			public long count(String key) {
				return KEY.equals(key) ? 3 : 0;
			}

			@Override
			public Duration remaining(String key) {
				return Duration.ZERO;
			}

			@Override
			public void reset(String key) {
			}

		};

		assertThat(legacy.tryAcquire(KEY, 3, WINDOW)).isEqualTo(FailureCounter.Acquisition.REFUSED);
		assertThat(legacy.tryAcquire(KEY, 4, WINDOW)).isEqualTo(FailureCounter.Acquisition.ALLOWED);
		assertThat(legacy.tryAcquire(OTHER_KEY, 1, WINDOW)).isEqualTo(FailureCounter.Acquisition.ALLOWED);
	}

	@Test
	void constructorWhenClockNullThenNullPointerException() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new CaffeineFailureCounter(10, null));
	}

}
