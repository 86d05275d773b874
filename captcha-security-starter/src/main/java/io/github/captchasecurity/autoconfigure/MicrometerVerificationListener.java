package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationResult;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts decisions in Micrometer: {@code captcha.verifications} tagged with {@code provider} and {@code outcome}
 * (the stable code, or {@code passed}). Tags never carry tokens, IPs or accounts.
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
			String outcome = result.passed() ? "passed" : result.outcome().code();
			meters.counter(METER, "provider", String.valueOf(result.provider()), "outcome", outcome).increment();
		}
	}

}
