package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.provider.builtin.BuiltinChallengeListener;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Counts the built-in provider's challenges as {@code captcha.builtin.challenges}, tagged
 * with {@code type} ({@code image}, {@code math}, {@code grid}, {@code pow}, or
 * {@code unknown} for an answer to a challenge no longer known) and {@code result}
 * ({@code generated}, {@code solved}, {@code failed}, {@code expired}); with the
 * in-memory challenge store, the gauge {@code captcha.builtin.challenges.live} of the
 * challenges kept (Caffeine's estimate; not offered for Redis, where counting would cost
 * a scan).
 */
final class MicrometerBuiltinChallengeListener implements BuiltinChallengeListener {

	static final String NAME = "captcha.builtin.challenges";

	static final String LIVE = "captcha.builtin.challenges.live";

	private final SingletonSupplier<MeterRegistry> registry;

	private final ObjectProvider<ChallengeStore> store;

	private volatile boolean gaugeRegistered;

	MicrometerBuiltinChallengeListener(ObjectProvider<MeterRegistry> registry, ObjectProvider<ChallengeStore> store) {
		this.registry = SingletonSupplier.of(registry::getIfAvailable);
		this.store = store;
	}

	@Override
	public void onChallenge(@Nullable ChallengeType type, Result result) {
		MeterRegistry meters = this.registry.get();
		if (meters == null) {
			return;
		}
		meters.counter(NAME, "type", (type != null) ? type.wireName() : "unknown", "result", result.tag()).increment();
		if (!this.gaugeRegistered && this.store.getIfUnique() instanceof CaffeineChallengeStore caffeine) {
			Gauge.builder(LIVE, caffeine, CaffeineChallengeStore::estimatedSize)
				.description("Built-in challenges issued and not yet answered or expired (estimate)")
				.strongReference(true)
				.register(meters);
			this.gaugeRegistered = true;
		}
	}

}
