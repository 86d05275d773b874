package io.github.captchasecurity;

import java.time.Duration;

/**
 * Told about every call the engine makes to a {@linkplain CaptchaVerifier#isRemote()
 * remote} provider (retries inside the call included), with how it ended and how long it
 * took; calls the bulkhead refused are not made and not reported. Listeners must be fast
 * and must not throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ProviderCallListener {

	/**
	 * Called after each provider call.
	 * @param provider the provider name
	 * @param status how the call ended
	 * @param duration how long it took
	 */
	void onProviderCall(String provider, ProviderCallStatus status, Duration duration);

}
