package io.github.captchasecurity.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A {@link FailureCounter} local to this JVM, on Caffeine, with an injectable clock.
 *
 * @since 0.1.0
 */
public final class CaffeineFailureCounter implements FailureCounter {

	private final Cache<String, Window> windows;

	private final Clock clock;

	/**
	 * Create a counter.
	 * @param maxKeys the most keys tracked at once
	 * @param clock the time source
	 */
	public CaffeineFailureCounter(long maxKeys, Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
		this.windows = Caffeine.newBuilder().maximumSize(maxKeys).build();
	}

	@Override
	public long increment(String key, Duration window) {
		Instant now = this.clock.instant();
		return this.windows.asMap().compute(key, (k, current) -> {
			if (current == null || !now.isBefore(current.end())) {
				return new Window(now.plus(window), 1);
			}
			return new Window(current.end(), current.count() + 1);
		}).count();
	}

	@Override
	public long count(String key) {
		Window window = this.windows.getIfPresent(key);
		return (window != null && this.clock.instant().isBefore(window.end())) ? window.count() : 0;
	}

	@Override
	public Duration remaining(String key) {
		Window window = this.windows.getIfPresent(key);
		if (window == null) {
			return Duration.ZERO;
		}
		Duration left = Duration.between(this.clock.instant(), window.end());
		return left.isNegative() ? Duration.ZERO : left;
	}

	@Override
	public void reset(String key) {
		this.windows.invalidate(key);
	}

	private record Window(Instant end, long count) {
	}

}
