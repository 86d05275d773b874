package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.VerificationListener;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Micrometer, the listener counting every decision as {@code captcha.verifications};
 * it is a {@link VerificationListener} bean, so it is attached to the engine whatever a
 * {@link CaptchaVerificationServiceBuilderCustomizer} does.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
class CaptchaMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "captchaMetricsListener")
	VerificationListener captchaMetricsListener(ObjectProvider<MeterRegistry> registry) {
		return new MicrometerVerificationListener(registry);
	}

}
