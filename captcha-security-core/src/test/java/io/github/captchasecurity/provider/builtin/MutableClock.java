package io.github.captchasecurity.provider.builtin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that tests move by hand, so that nothing sleeps. Public so that tests
 * of other packages (the endpoint filter) can share it.
 */
public final class MutableClock extends Clock {

	private volatile Instant now;

	public MutableClock(Instant start) {
		this.now = start;
	}

	/**
	 * Move the clock.
	 * @param duration how far; negative durations move it back
	 */
	public void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	/**
	 * Return the time elapsed since {@code start}, in nanoseconds, as a Caffeine ticker
	 * reads it.
	 * @param start the origin
	 * @return the nanoseconds
	 */
	public long nanosSince(Instant start) {
		return Duration.between(start, this.now).toNanos();
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("MutableClock is always UTC");
	}

}
