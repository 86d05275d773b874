package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Counts decisions in Micrometer: {@code captcha.verifications} tagged with
 * {@code provider} and {@code outcome} (the stable code, {@code passed}, or
 * {@code fail-open:store-unavailable} for a request let through unchecked because the
 * store failed and {@code captcha.store.on-error=fail-open}); replays as
 * {@code captcha.replay.rejected} and rate-limited verifications as
 * {@code captcha.rate-limited}, both tagged with {@code provider}. Tags never carry
 * tokens, IPs or accounts.
 */
final class MicrometerVerificationListener implements VerificationListener {

	static final String METER = "captcha.verifications";

	static final String REPLAY_METER = "captcha.replay.rejected";

	static final String RATE_LIMITED_METER = "captcha.rate-limited";

	private final SingletonSupplier<MeterRegistry> registry;

	MicrometerVerificationListener(ObjectProvider<MeterRegistry> registry) {
		this.registry = SingletonSupplier.of(registry::getIfAvailable);
	}

	@Override
	public void onVerification(CaptchaRule rule, VerificationResult result, VerificationContext context) {
		MeterRegistry meters = this.registry.get();
		if (meters != null) {
			String provider = String.valueOf(result.provider());
			meters.counter(METER, "provider", provider, "outcome", outcomeTag(result)).increment();
			if (result.outcome() == VerificationOutcome.REPLAYED) {
				meters.counter(REPLAY_METER, "provider", provider).increment();
			}
			else if (result.outcome() == VerificationOutcome.RATE_LIMITED) {
				meters.counter(RATE_LIMITED_METER, "provider", provider).increment();
			}
		}
	}

	// The outcome tag of the verification meters.
	static String outcomeTag(VerificationResult result) {
		return result.passed() ? passedTag(result) : String.valueOf(result.outcome().code());
	}

	private static String passedTag(VerificationResult result) {
		return result.errorCodes().contains(CaptchaVerificationService.FAIL_OPEN_STORE)
				? CaptchaVerificationService.FAIL_OPEN_STORE : "passed";
	}

}
