package io.github.captchasecurity.provider.builtin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A fixed-window {@link RateLimiter} local to this JVM, on Caffeine. Time comes from an injectable clock.
 *
 * @since 0.1.0
 */
public final class CaffeineRateLimiter implements RateLimiter {

	private final Cache<String, Window> windows;

	private final Clock clock;

	/**
	 * Create a limiter.
	 * @param maxKeys the most keys tracked at once
	 * @param clock the time source
	 */
	public CaffeineRateLimiter(long maxKeys, Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
		this.windows = Caffeine.newBuilder().maximumSize(maxKeys).build();
	}

	@Override
	public Duration acquire(String key, int limit, Duration window) {
		Instant now = this.clock.instant();
		Window current = this.windows.asMap().compute(key, (k, existing) -> {
			if (existing == null || !now.isBefore(existing.start().plus(window)) || now.isBefore(existing.start())) {
				return new Window(now, 1);
			}
			return new Window(existing.start(), existing.count() + 1);
		});
		if (current.count() <= limit) {
			return Duration.ZERO;
		}
		Duration wait = Duration.between(now, current.start().plus(window));
		return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
	}

	private record Window(Instant start, long count) {
	}

}
