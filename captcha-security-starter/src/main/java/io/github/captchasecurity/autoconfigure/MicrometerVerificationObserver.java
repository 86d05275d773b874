package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationObserver;
import io.github.captchasecurity.VerificationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Times each whole verification as {@code captcha.verification}, with the low-cardinality
 * keys {@code provider} and {@code outcome} (the {@code outcome} tag of
 * {@code captcha.verifications}). With an {@link ObservationRegistry} bean (Spring Boot
 * Actuator's) it is an {@link Observation}: traces get a {@code captcha.verification}
 * span, and Boot's meter observation handler makes the timer (which then also carries
 * Micrometer's {@code error} tag). Without one, a plain {@link Timer} of the
 * {@link MeterRegistry}. Never both, so the timer exists once. Percentiles and histograms
 * come from {@code management.metrics.distribution.*}.
 */
final class MicrometerVerificationObserver implements VerificationObserver {

	static final String NAME = "captcha.verification";

	private static final Scope NONE = (result) -> {
	};

	private final SingletonSupplier<ObservationRegistry> observations;

	private final SingletonSupplier<MeterRegistry> meters;

	MicrometerVerificationObserver(ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<MeterRegistry> meters) {
		this.observations = SingletonSupplier.of(observations::getIfAvailable);
		this.meters = SingletonSupplier.of(meters::getIfAvailable);
	}

	@Override
	public Scope start(CaptchaRule rule, String provider, VerificationContext context) {
		ObservationRegistry registry = this.observations.get();
		if (registry != null && !registry.isNoop()) {
			return new ObservationScope(Observation.createNotStarted(NAME, registry)
				.contextualName("captcha verification")
				.lowCardinalityKeyValue("provider", provider)
				.start());
		}
		MeterRegistry registryOfMeters = this.meters.get();
		return (registryOfMeters != null) ? new TimerScope(registryOfMeters, provider) : NONE;
	}

	private static final class ObservationScope implements Scope {

		private final Observation observation;

		private final Observation.Scope scope;

		ObservationScope(Observation observation) {
			this.observation = observation;
			this.scope = observation.openScope();
		}

		@Override
		public void stop(VerificationResult result) {
			end(MicrometerVerificationListener.outcomeTag(result), null);
		}

		@Override
		public void error(RuntimeException error) {
			end("error", error);
		}

		private void end(String outcome, @Nullable RuntimeException error) {
			this.scope.close();
			this.observation.lowCardinalityKeyValue("outcome", outcome);
			if (error != null) {
				this.observation.error(error);
			}
			this.observation.stop();
		}

	}

	private static final class TimerScope implements Scope {

		private final MeterRegistry registry;

		private final String provider;

		private final Timer.Sample sample;

		TimerScope(MeterRegistry registry, String provider) {
			this.registry = registry;
			this.provider = provider;
			this.sample = Timer.start(registry);
		}

		@Override
		public void stop(VerificationResult result) {
			end(MicrometerVerificationListener.outcomeTag(result));
		}

		@Override
		public void error(RuntimeException error) {
			end("error");
		}

		private void end(String outcome) {
			this.sample.stop(Timer.builder(NAME)
				.description("Whole CAPTCHA verifications of protected requests")
				.tags("provider", this.provider, "outcome", outcome)
				.register(this.registry));
		}

	}

}
