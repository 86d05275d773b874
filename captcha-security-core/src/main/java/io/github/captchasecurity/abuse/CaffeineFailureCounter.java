package io.github.captchasecurity.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A {@link FailureCounter} local to this JVM, on Caffeine, with an injectable clock. If
 * the clock goes back before a window's start, that window counts as ended.
 * {@link #tryAcquire(String, long, Duration)} and {@link #release(String)} are atomic per
 * key.
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
		return this.windows.asMap().compute(key, (k, current) -> {
			// read the time inside the atomic update: a time read before it may predate a
			// window another thread
			// just opened, which would look like a clock going back and end that window
			Instant now = this.clock.instant();
			if (current == null || !current.contains(now)) {
				return new Window(now, now.plus(window), 1);
			}
			return new Window(current.start(), current.end(), current.count() + 1);
		}).count();
	}

	@Override
	public Acquisition tryAcquire(String key, long limit, Duration window) {
		boolean[] reserved = new boolean[1];
		this.windows.asMap().compute(key, (k, current) -> {
			Instant now = this.clock.instant();
			if (current == null || !current.contains(now)) {
				reserved[0] = limit > 0;
				return (reserved[0]) ? new Window(now, now.plus(window), 1) : current;
			}
			reserved[0] = current.count() < limit;
			return (reserved[0]) ? new Window(current.start(), current.end(), current.count() + 1) : current;
		});
		return (reserved[0]) ? Acquisition.RESERVED : Acquisition.REFUSED;
	}

	@Override
	public void release(String key) {
		this.windows.asMap().computeIfPresent(key, (k, current) -> {
			Instant now = this.clock.instant();
			return (current.contains(now) && current.count() > 0)
					? new Window(current.start(), current.end(), current.count() - 1) : current;
		});
	}

	@Override
	public long count(String key) {
		Window window = this.windows.getIfPresent(key);
		return (window != null && window.contains(this.clock.instant())) ? window.count() : 0;
	}

	@Override
	public Duration remaining(String key) {
		Window window = this.windows.getIfPresent(key);
		if (window == null || !window.contains(this.clock.instant())) {
			return Duration.ZERO;
		}
		Duration left = Duration.between(this.clock.instant(), window.end());
		return left.isNegative() ? Duration.ZERO : left;
	}

	@Override
	public void reset(String key) {
		this.windows.invalidate(key);
	}

	/**
	 * A window; one the clock has gone back before (a clock correction) counts as ended.
	 */
	private record Window(Instant start, Instant end, long count) {

		boolean contains(Instant now) {
			return !now.isBefore(this.start) && now.isBefore(this.end);
		}

	}

}
