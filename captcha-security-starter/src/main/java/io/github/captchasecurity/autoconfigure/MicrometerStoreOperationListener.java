package io.github.captchasecurity.autoconfigure;

import java.time.Duration;

import io.github.captchasecurity.store.StoreOperationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Times the commands of the Redis store as {@code captcha.store.operations}, tagged with
 * {@code operation} (a fixed command name such as {@code set-nx} or {@code get-del},
 * never a key) and {@code outcome} ({@code success}, {@code timeout}, {@code error}).
 * Only the Redis store reports operations; the in-memory store has none to time.
 */
final class MicrometerStoreOperationListener implements StoreOperationListener {

	static final String NAME = "captcha.store.operations";

	private final SingletonSupplier<MeterRegistry> registry;

	MicrometerStoreOperationListener(ObjectProvider<MeterRegistry> registry) {
		this.registry = SingletonSupplier.of(registry::getIfAvailable);
	}

	@Override
	public void onStoreOperation(String operation, Outcome outcome, Duration duration) {
		MeterRegistry meters = this.registry.get();
		if (meters != null) {
			Timer.builder(NAME)
				.description("Commands of the shared CAPTCHA store")
				.tags("operation", operation, "outcome", outcome.tag())
				.register(meters)
				.record(duration);
		}
	}

}
