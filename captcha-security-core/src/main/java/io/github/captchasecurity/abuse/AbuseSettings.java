package io.github.captchasecurity.abuse;

import java.time.Duration;
import java.util.Objects;

/**
 * When failed verifications from one client IP or account lead to step-up and to
 * blocking. Immutable.
 *
 * @param stepUpAfter after this many failures in the window, routes that escalate require
 * their stronger provider even with a high-scoring token; 0 disables step-up
 * @param blockAfter after this many failures in the window, requests are answered 429
 * until the window ends; 0 disables blocking
 * @param window the counting window
 * @since 0.1.0
 */
public record AbuseSettings(int stepUpAfter, int blockAfter, Duration window) {

	/**
	 * Create settings.
	 * @param stepUpAfter the step-up threshold, 0 for none
	 * @param blockAfter the block threshold, 0 for none
	 * @param window the window, positive
	 */
	public AbuseSettings {
		Objects.requireNonNull(window, "window");
		if (stepUpAfter < 0 || blockAfter < 0) {
			throw new IllegalArgumentException("thresholds cannot be negative");
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be positive");
		}
	}

	/**
	 * The defaults: step up after 3 failures, block after 10, in 15 minutes.
	 * @return the defaults
	 */
	public static AbuseSettings ofDefaults() {
		return new AbuseSettings(3, 10, Duration.ofMinutes(15));
	}

}
