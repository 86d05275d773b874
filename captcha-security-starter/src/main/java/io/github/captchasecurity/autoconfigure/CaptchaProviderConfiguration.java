package io.github.captchasecurity.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.http.CaptchaHttpClient;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The shipped provider-type factories, registered by
 * {@link ShippedProviderFactoryRegistrar} (each backs off when the application defines a
 * bean of the same name; an application's factory of the same
 * {@link CaptchaProviderFactory#type() type} replaces it too) and the providers built
 * from {@code captcha.providers} and the application's {@link CaptchaVerifier} beans.
 */
@Configuration(proxyBeanMethods = false)
@Import(ShippedProviderFactoryRegistrar.class)
class CaptchaProviderConfiguration {

	@Bean
	@ConditionalOnMissingBean(CaptchaVerificationService.class)
	CaptchaProviderRegistry captchaProviderRegistry(CaptchaSettings settings,
			ObjectProvider<CaptchaProviderFactory> factories, ListableBeanFactory beanFactory, CaptchaHttpClient http,
			ObjectProvider<CaptchaVerifierOverride> override) {
		Map<String, CaptchaVerifier> verifiers = new LinkedHashMap<>(beanFactory.getBeansOfType(CaptchaVerifier.class));
		return CaptchaProviderRegistry.create(settings, factories.orderedStream().toList(), verifiers, http,
				override.getIfUnique());
	}

}
