package io.github.captchasecurity.abuse;

import java.time.Duration;

/**
 * Counts failures per key (a client IP, an account) in fixed windows. Implement it over a shared store (Redis)
 * to share counts between instances.
 *
 * @since 0.1.0
 */
public interface FailureCounter {

	/**
	 * Count one failure.
	 * @param key what failed, such as {@code ip:203.0.113.7}
	 * @param window the window length; a new window starts with the first failure after the previous one ended
	 * @return the number of failures in the current window, this one included
	 */
	long increment(String key, Duration window);

	/**
	 * Return the failures in the current window.
	 * @param key the key
	 * @return the count, 0 if none or the window ended
	 */
	long count(String key);

	/**
	 * Return how long the current window still lasts.
	 * @param key the key
	 * @return the remaining time, {@link Duration#ZERO} if no window is open
	 */
	Duration remaining(String key);

	/**
	 * Forget the failures of a key (after a successful login, for example).
	 * @param key the key
	 */
	void reset(String key);

}
