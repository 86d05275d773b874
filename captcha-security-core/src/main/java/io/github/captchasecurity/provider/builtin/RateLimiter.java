package io.github.captchasecurity.provider.builtin;

import java.time.Duration;

/**
 * Counts requests per key in fixed windows. Implement it over a shared store (Redis) to
 * share limits between instances.
 *
 * @since 0.1.0
 */
public interface RateLimiter {

	/**
	 * Count one request against a key.
	 * @param key what is limited, such as {@code generate:<site key digest>}
	 * @param limit the requests allowed per window
	 * @param window the window length
	 * @return {@link Duration#ZERO} when the request is allowed, otherwise how long until
	 * the window ends
	 */
	Duration acquire(String key, int limit, Duration window);

}
