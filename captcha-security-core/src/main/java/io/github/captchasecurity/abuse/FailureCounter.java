package io.github.captchasecurity.abuse;

import java.time.Duration;

/**
 * Counts failures per key (a client IP, an account) in fixed windows. Implement it over a
 * shared store (Redis) to share counts between instances.
 * <p>
 * With blocking on, the engine reserves each verification attempt with
 * {@link #tryAcquire(String, long, Duration)} before it starts: a reserved attempt counts
 * like a failure while it is in flight, so concurrent attempts of one client cannot all
 * pass the threshold check at once. An attempt that does not fail (a pass, an unavailable
 * provider) is given back with {@link #release(String)}. Implementations over a shared
 * store should override both with one atomic operation (for example a Lua script, or
 * {@code INCR} followed by {@code DECR} when over the limit); the defaults keep counters
 * written against 0.1.0 working without that guarantee.
 *
 * @since 0.1.0
 */
public interface FailureCounter {

	/**
	 * Count one failure.
	 * @param key what failed, such as {@code ip:203.0.113.7}
	 * @param window the window length; a new window starts with the first failure after
	 * the previous one ended
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
	 * Reserve one attempt under a key, atomically: if fewer than {@code limit} attempts
	 * are counted in the current window, count one more (opening a window if none is
	 * open) and answer {@link Acquisition#RESERVED}; otherwise count nothing and answer
	 * {@link Acquisition#REFUSED}.
	 * <p>
	 * The default implementation reserves nothing: it answers {@link Acquisition#ALLOWED}
	 * when {@link #count(String)} is below the limit, and the engine counts a failure
	 * with {@link #increment(String, Duration)} when the attempt fails. That check and
	 * that increment are separate steps, so concurrent attempts can exceed the limit;
	 * override this method and {@link #release(String)} to bound them.
	 * @param key what is attempted, such as {@code ip:203.0.113.7}
	 * @param limit the most attempts in flight or failed in the window, at least 1
	 * @param window the window length
	 * @return whether the attempt may go on, and whether it was counted
	 * @since 0.1.0
	 */
	default Acquisition tryAcquire(String key, long limit, Duration window) {
		return (count(key) < limit) ? Acquisition.ALLOWED : Acquisition.REFUSED;
	}

	/**
	 * Give back an attempt {@linkplain #tryAcquire(String, long, Duration) reserved}
	 * earlier, because it did not fail. Does nothing if the window it was counted in has
	 * ended. The default does nothing, matching the default {@code tryAcquire}, which
	 * reserves nothing.
	 * @param key the key
	 * @since 0.1.0
	 */
	default void release(String key) {
	}

	/**
	 * Forget the failures of a key (after a successful login, for example).
	 * @param key the key
	 */
	void reset(String key);

	/**
	 * The answer of {@link FailureCounter#tryAcquire(String, long, Duration)}.
	 *
	 * @since 0.1.0
	 */
	enum Acquisition {

		/**
		 * Counted: the attempt holds a reservation,
		 * {@linkplain FailureCounter#release(String) released} unless it fails.
		 */
		RESERVED,

		/**
		 * Under the limit but not counted: count the attempt with
		 * {@link FailureCounter#increment} if it fails.
		 */
		ALLOWED,

		/** The limit is reached: the attempt must not go on. */
		REFUSED

	}

}
