package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationResult;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts decisions in Micrometer: {@code captcha.verifications} tagged with
 * {@code provider} and {@code outcome} (the stable code, {@code passed}, or
 * {@code fail-open:store-unavailable} for a request let through unchecked because the
 * store failed and {@code captcha.store.on-error=fail-open}). Tags never carry tokens,
 * IPs or accounts.
 */
final class MicrometerVerificationListener implements VerificationListener {

	static final String METER = "captcha.verifications";

	private final ObjectProvider<MeterRegistry> registry;

	MicrometerVerificationListener(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void onVerification(CaptchaRule rule, VerificationResult result, VerificationContext context) {
		MeterRegistry meters = this.registry.getIfAvailable();
		if (meters != null) {
			String outcome = result.passed() ? passedTag(result) : result.outcome().code();
			meters.counter(METER, "provider", String.valueOf(result.provider()), "outcome", outcome).increment();
		}
	}

	private static String passedTag(VerificationResult result) {
		return result.errorCodes().contains(CaptchaVerificationService.FAIL_OPEN_STORE)
				? CaptchaVerificationService.FAIL_OPEN_STORE : "passed";
	}

}
