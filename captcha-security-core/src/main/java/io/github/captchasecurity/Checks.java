package io.github.captchasecurity;

/** Precondition helpers. */
final class Checks {

	private Checks() {
	}

	static void requireArgument(boolean expression, String message) {
		if (!expression) {
			throw new IllegalArgumentException(message);
		}
	}

	static void requireState(boolean expression, String message) {
		if (!expression) {
			throw new IllegalStateException(message);
		}
	}

}
