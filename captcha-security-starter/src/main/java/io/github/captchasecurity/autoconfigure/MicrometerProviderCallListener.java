package io.github.captchasecurity.autoconfigure;

import java.time.Duration;

import io.github.captchasecurity.ProviderCallListener;
import io.github.captchasecurity.ProviderCallStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Times each call to a remote provider as {@code captcha.provider.requests}, tagged with
 * {@code provider} and {@code status} ({@code success}, {@code rejected},
 * {@code timeout}, {@code connect-error}, {@code http-5xx}, {@code bad-answer}). A plain
 * timer: percentiles, histograms and SLOs come from
 * {@code management.metrics.distribution.*.captcha.provider.requests}.
 */
final class MicrometerProviderCallListener implements ProviderCallListener {

	static final String NAME = "captcha.provider.requests";

	private final SingletonSupplier<MeterRegistry> registry;

	MicrometerProviderCallListener(ObjectProvider<MeterRegistry> registry) {
		this.registry = SingletonSupplier.of(registry::getIfAvailable);
	}

	@Override
	public void onProviderCall(String provider, ProviderCallStatus status, Duration duration) {
		MeterRegistry meters = this.registry.get();
		if (meters != null) {
			Timer.builder(NAME)
				.description("Calls to remote CAPTCHA providers")
				.tags("provider", provider, "status", status.tag())
				.register(meters)
				.record(duration);
		}
	}

}
