package io.github.captchasecurity.autoconfigure;

import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One component of the {@code captcha} health contributor: DOWN when the share of errors
 * in its window is above the maximum error rate, else UP (also while the window is
 * empty). Details: {@code errorRate}, {@code errors}, {@code samples} (in the window),
 * {@code total} (since start-up), {@code lastFailure} (ISO-8601, when there was one) and
 * fixed facts such as the store type; never tokens, secrets or clients. Reading it costs
 * one lock of the window: no provider or store is called.
 */
final class OutcomeHealthIndicator implements HealthIndicator {

	private final Supplier<OutcomeWindow.Snapshot> window;

	private final double maxErrorRate;

	private final Map<String, Object> facts;

	OutcomeHealthIndicator(Supplier<OutcomeWindow.Snapshot> window, double maxErrorRate, Map<String, Object> facts) {
		this.window = window;
		this.maxErrorRate = maxErrorRate;
		this.facts = Map.copyOf(facts);
	}

	@Override
	public Health health() {
		OutcomeWindow.Snapshot snapshot = this.window.get();
		double errorRate = snapshot.errorRate();
		Health.Builder health = (snapshot.samples() > 0 && errorRate > this.maxErrorRate) ? Health.down() : Health.up();
		health.withDetails(this.facts)
			.withDetail("errorRate", Math.round(errorRate * 1000) / 1000.0)
			.withDetail("maxErrorRate", this.maxErrorRate)
			.withDetail("errors", snapshot.errors())
			.withDetail("samples", snapshot.samples())
			.withDetail("total", snapshot.total());
		if (snapshot.lastFailure() != null) {
			health.withDetail("lastFailure", snapshot.lastFailure().toString());
		}
		return health.build();
	}

}
