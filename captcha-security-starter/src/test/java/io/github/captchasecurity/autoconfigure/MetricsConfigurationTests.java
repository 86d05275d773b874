package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.VerificationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
