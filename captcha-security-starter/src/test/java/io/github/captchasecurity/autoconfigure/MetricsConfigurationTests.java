package io.github.captchasecurity.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderCallListener;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationObserver;
import io.github.captchasecurity.provider.builtin.BuiltinChallengeListener;
import io.github.captchasecurity.store.StoreOperationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class))
		.withPropertyValues("captcha.builtin.site-keys=demo");

	@Test
	void verificationsWhenMeterRegistryPresentThenCountedByProviderAndOutcome() {
		this.contextRunner.withUserConfiguration(Registry.class).run((context) -> {
			CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
			service.verify(CaptchaRule.defaults(), null, "203.0.113.1");
			service.verify(CaptchaRule.defaults(), "not-a-pass-token", "203.0.113.1");
			service.verify(CaptchaRule.defaults(), null, "203.0.113.2");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("captcha.verifications")
				.tags("provider", "builtin", "outcome", "captcha_missing")
				.counter()
				.count()).isEqualTo(2.0);
			assertThat(registry.get("captcha.verifications")
				.tags("provider", "builtin", "outcome", "captcha_invalid")
				.counter()
				.count()).isEqualTo(1.0);
			assertThat(registry.getMeters())
				.allSatisfy((meter) -> assertThat(meter.getId().getTags().toString()).doesNotContain("203.0.113")
					.doesNotContain("not-a-pass-token"));
		});
	}

	@Test
	void metricsWhenMicrometerMissingThenNoListener() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean("captchaMetricsListener")
				.hasSingleBean(CaptchaVerificationService.class));
	}

	@Test
	void metricsWhenNoRegistryBeanThenVerificationStillWorks() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(VerificationListener.class);
			assertThat(context.getBean(CaptchaVerificationService.class)
				.verify(CaptchaRule.defaults(), null, "203.0.113.1")
				.outcome()
				.code()).isEqualTo("captcha_missing");
		});
	}

	@Test
	void meterBeansWhenMicrometerPresentThenEveryInstrumentIsDefined() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("captchaMetricsListener")
			.hasBean("captchaMetricsObserver")
			.hasBean("captchaProviderCallMetrics")
			.hasBean("captchaBuiltinChallengeMetrics")
			.hasBean("captchaStoreOperationMetrics"));
	}

	@Test
	void meterBeansWhenMicrometerMissingThenNoneAndTheEngineStillStarts() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(VerificationObserver.class)
				.doesNotHaveBean(ProviderCallListener.class)
				.doesNotHaveBean(BuiltinChallengeListener.class)
				.doesNotHaveBean(StoreOperationListener.class)
				.hasSingleBean(CaptchaVerificationService.class));
	}

	@Test
	void meterBeansWhenUserDefinesOneByNameThenItsOwnIsUsed() {
		this.contextRunner.withUserConfiguration(Registry.class, OwnObserver.class).run((context) -> {
			assertThat(context.getBean("captchaMetricsObserver")).isSameAs(OwnObserver.observer);
			context.getBean(CaptchaVerificationService.class).verify(CaptchaRule.defaults(), null, "203.0.113.1");
			assertThat(context.getBean(MeterRegistry.class).find("captcha.verification").timer()).isNull();
		});
	}

	@Test
	void verificationTimerWhenNoObservationRegistryThenPlainTimerByProviderAndOutcome() {
		this.contextRunner.withUserConfiguration(Registry.class).run((context) -> {
			context.getBean(CaptchaVerificationService.class).verify(CaptchaRule.defaults(), null, "203.0.113.1");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Timer timer = registry.get("captcha.verification")
				.tags("provider", "builtin", "outcome", "captcha_missing")
				.timer();
			assertThat(timer.count()).isOne();
			assertThat(timer.getId().getTags()).extracting(Tag::getKey).containsExactly("outcome", "provider");
		});
	}

	@Test
	void verificationWhenObservationRegistryThenObservationWithLowCardinalityKeysAndOneTimer() {
		this.contextRunner.withUserConfiguration(Registry.class, Observations.class).run((context) -> {
			context.getBean(CaptchaVerificationService.class).verify(CaptchaRule.defaults(), null, "203.0.113.1");
			assertThat(Observations.seen).singleElement().satisfies((observation) -> {
				assertThat(observation.getName()).isEqualTo("captcha.verification");
				assertThat(observation.getLowCardinalityKeyValue("provider").getValue()).isEqualTo("builtin");
				assertThat(observation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("captcha_missing");
				assertThat(observation.getHighCardinalityKeyValues()).isEmpty();
			});
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("captcha.verification").timers()).singleElement()
				.satisfies((timer) -> assertThat(timer.getId().getTags()).extracting(Tag::getKey)
					.contains("provider", "outcome")
					.doesNotContain("token", "clientIp"));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnObserver {

		static final VerificationObserver observer = (rule, provider, context) -> (result) -> {
		};

		@Bean
		VerificationObserver captchaMetricsObserver() {
			return observer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Observations {

		static final List<Observation.Context> seen = new CopyOnWriteArrayList<>();

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meters) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new DefaultMeterObservationHandler(meters))
				.observationHandler(new ObservationHandler<>() {

					@Override
					public void onStop(Observation.Context context) {
						seen.add(context);
					}

					@Override
					public boolean supportsContext(Observation.Context context) {
						return true;
					}

				});
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
