package io.github.captchasecurity.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.autoconfigure.CaptchaProperties.Store.StoreType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Boot's health support (Actuator), the {@code captcha} health contributor:
 * one component per provider and one for the store, each from the recent verifications
 * the {@link CaptchaHealthRecorder} keeps; switched off with
 * {@code management.health.captcha.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = CaptchaHealthConfiguration.HEALTH_INDICATOR)
class CaptchaHealthConfiguration {

	static final String HEALTH_INDICATOR = "org.springframework.boot.health.contributor.HealthIndicator";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("captcha")
	static class CaptchaHealthContributorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CaptchaHealthRecorder captchaHealthRecorder(CaptchaSettings settings) {
			return new CaptchaHealthRecorder(settings.properties().getHealth().getWindow(), Clock.systemUTC());
		}

		@Bean
		CaptchaVerificationServiceBuilderCustomizer captchaHealthRecording(CaptchaHealthRecorder recorder) {
			return (builder) -> builder.listener(recorder.listener());
		}

		@Bean
		@ConditionalOnMissingBean(name = "captchaHealthContributor")
		CompositeHealthContributor captchaHealthContributor(CaptchaSettings settings, CaptchaHealthRecorder recorder,
				CaptchaVerificationService verificationService) {
			double maxErrorRate = settings.properties().getHealth().getMaxErrorRate();
			Map<String, HealthIndicator> components = new LinkedHashMap<>();
			for (String provider : verificationService.providerNames().stream().sorted().toList()) {
				components.put(provider, new OutcomeHealthIndicator(() -> recorder.provider(provider).snapshot(),
						maxErrorRate, Map.of()));
			}
			StoreType store = settings.properties().getStore().getType();
			components.put("store", new OutcomeHealthIndicator(() -> recorder.store().snapshot(), maxErrorRate,
					Map.of("type", store.name().toLowerCase(Locale.ROOT))));
			return CompositeHealthContributor.fromMap(components);
		}

	}

}
