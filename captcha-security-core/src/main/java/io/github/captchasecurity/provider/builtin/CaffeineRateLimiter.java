package io.github.captchasecurity.provider.builtin;

import java.time.Clock;
import java.time.Duration;

import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;

/**
 * A fixed-window {@link RateLimiter} local to this JVM, counting requests in a
 * {@link CaffeineFailureCounter}. Time comes from an injectable clock.
 *
 * @since 0.1.0
 */
public final class CaffeineRateLimiter implements RateLimiter {

	private final FailureCounter requests;

	/**
	 * Create a limiter.
	 * @param maxKeys the most keys tracked at once
	 * @param clock the time source
	 */
	public CaffeineRateLimiter(long maxKeys, Clock clock) {
		this.requests = new CaffeineFailureCounter(maxKeys, clock);
	}

	@Override
	public Duration acquire(String key, int limit, Duration window) {
		if (this.requests.increment(key, window) <= limit) {
			return Duration.ZERO;
		}
		Duration wait = this.requests.remaining(key);
		return wait.isZero() ? Duration.ofSeconds(1) : wait;
	}

}
