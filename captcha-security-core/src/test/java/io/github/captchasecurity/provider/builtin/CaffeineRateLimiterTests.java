package io.github.captchasecurity.provider.builtin;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CaffeineRateLimiter}: fixed windows on a {@link MutableClock}, nothing
 * sleeps.
 */
class CaffeineRateLimiterTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final Duration HOUR = Duration.ofHours(1);

	private final MutableClock clock = new MutableClock(START);

	private final CaffeineRateLimiter limiter = new CaffeineRateLimiter(1000, this.clock);

	@Test
	void acquireWhenUnderLimitThenZero() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.limiter.acquire("k", 3, HOUR)).as("request %d", i + 1).isZero();
		}
	}

	@Test
	void acquireWhenOverLimitThenTimeUntilWindowEnds() {
		for (int i = 0; i < 3; i++) {
			this.limiter.acquire("k", 3, HOUR);
			this.clock.advance(Duration.ofMinutes(5));
		}

		assertThat(this.limiter.acquire("k", 3, HOUR)).isEqualTo(Duration.ofMinutes(45));
		this.clock.advance(Duration.ofMinutes(44));
		assertThat(this.limiter.acquire("k", 3, HOUR)).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void acquireWhenRefusedThenStillRefusedUntilWindowEnds() {
		for (int i = 0; i < 10; i++) {
			this.limiter.acquire("k", 2, HOUR);
		}
		this.clock.advance(HOUR.minusNanos(1));

		assertThat(this.limiter.acquire("k", 2, HOUR)).isEqualTo(Duration.ofNanos(1));
	}

	@Test
	void acquireWhenWindowEndedThenCountStartsAgain() {
		this.limiter.acquire("k", 1, HOUR);
		assertThat(this.limiter.acquire("k", 1, HOUR)).isPositive();

		this.clock.advance(HOUR);

		assertThat(this.limiter.acquire("k", 1, HOUR)).isZero();
		assertThat(this.limiter.acquire("k", 1, HOUR)).isEqualTo(HOUR);
	}

	@Test
	void acquireWhenWindowIsFixedThenNotSliding() {
		this.limiter.acquire("k", 2, HOUR);
		this.clock.advance(Duration.ofMinutes(59));
		this.limiter.acquire("k", 2, HOUR);
		this.clock.advance(Duration.ofMinutes(1));

		// a new window began at START + 1h: the request at 59 minutes belongs to the old
		// one
		assertThat(this.limiter.acquire("k", 2, HOUR)).isZero();
		assertThat(this.limiter.acquire("k", 2, HOUR)).isZero();
		assertThat(this.limiter.acquire("k", 2, HOUR)).isEqualTo(HOUR);
	}

	@Test
	void acquireWhenOtherKeyThenCountedApart() {
		this.limiter.acquire("a", 1, HOUR);
		assertThat(this.limiter.acquire("a", 1, HOUR)).isPositive();

		assertThat(this.limiter.acquire("b", 1, HOUR)).isZero();
	}

	@Test
	void acquireWhenClockMovedBackThenNewWindow() {
		this.limiter.acquire("k", 1, HOUR);
		assertThat(this.limiter.acquire("k", 1, HOUR)).isPositive();

		this.clock.advance(Duration.ofMinutes(-1));

		assertThat(this.limiter.acquire("k", 1, HOUR)).isZero();
	}

	@Test
	void constructorWhenClockNullThenNullPointerException() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new CaffeineRateLimiter(10, null));
	}

}
