package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.ProviderCallListener;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationObserver;
import io.github.captchasecurity.provider.builtin.BuiltinChallengeListener;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.store.StoreOperationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Micrometer, the meters of captcha-security: the listener counting every decision
 * ({@code captcha.verifications}, {@code captcha.replay.rejected},
 * {@code captcha.rate-limited}), the observer timing each verification
 * ({@code captcha.verification}, an observation when an {@link ObservationRegistry}
 * exists), the provider-call timer ({@code captcha.provider.requests}), the built-in
 * challenge counter and gauge ({@code captcha.builtin.challenges}) and the Redis store
 * timer ({@code captcha.store.operations}). They are listener beans, so they are attached
 * to the engine whatever a {@link CaptchaVerificationServiceBuilderCustomizer} does; each
 * backs off when a bean of its name exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ MeterRegistry.class, ObservationRegistry.class })
class CaptchaMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "captchaMetricsListener")
	VerificationListener captchaMetricsListener(ObjectProvider<MeterRegistry> registry) {
		return new MicrometerVerificationListener(registry);
	}

	@Bean
	@ConditionalOnMissingBean(name = "captchaMetricsObserver")
	VerificationObserver captchaMetricsObserver(ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<MeterRegistry> registry) {
		return new MicrometerVerificationObserver(observations, registry);
	}

	@Bean
	@ConditionalOnMissingBean(name = "captchaProviderCallMetrics")
	ProviderCallListener captchaProviderCallMetrics(ObjectProvider<MeterRegistry> registry) {
		return new MicrometerProviderCallListener(registry);
	}

	@Bean
	@ConditionalOnMissingBean(name = "captchaBuiltinChallengeMetrics")
	BuiltinChallengeListener captchaBuiltinChallengeMetrics(ObjectProvider<MeterRegistry> registry,
			ObjectProvider<ChallengeStore> store) {
		return new MicrometerBuiltinChallengeListener(registry, store);
	}

	@Bean
	@ConditionalOnMissingBean(name = "captchaStoreOperationMetrics")
	StoreOperationListener captchaStoreOperationMetrics(ObjectProvider<MeterRegistry> registry) {
		return new MicrometerStoreOperationListener(registry);
	}

}
