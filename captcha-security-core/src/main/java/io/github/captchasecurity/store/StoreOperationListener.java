package io.github.captchasecurity.store;

import java.time.Duration;
import java.util.Locale;

/**
 * Told about every command a shared store (the Redis store) sends, with how it ended and
 * how long it took. The operation is a fixed name ({@code set-nx}, {@code take}, ...),
 * never a key. Listeners must be fast and must not throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface StoreOperationListener {

	/**
	 * Called after each store command.
	 * @param operation the fixed name of the command
	 * @param outcome how it ended
	 * @param duration how long it took
	 */
	void onStoreOperation(String operation, Outcome outcome, Duration duration);

	/**
	 * How a store command ended.
	 *
	 * @since 0.1.0
	 */
	enum Outcome {

		/** The command was answered. */
		SUCCESS,

		/** The command was given up on after the store timeout. */
		TIMEOUT,

		/** The command failed (connection lost, refused, unreadable answer). */
		ERROR;

		/**
		 * Return the stable tag, such as {@code timeout}.
		 * @return the tag
		 */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
