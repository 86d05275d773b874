package io.github.captchasecurity.it;

import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.autoconfigure.CaptchaProviderDefinition;
import io.github.captchasecurity.autoconfigure.CaptchaProviderFactory;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The custom provider "acme" of type acme-type, built by a {@code CaptchaProviderFactory}
 * bean from its settings.
 */
@SpringBootTest(classes = { CustomProviderApplication.class, CustomProviderFactoryIntegrationTests.FactoryStyle.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.providers.acme.type=acme-type", "captcha.providers.acme.settings.accept-prefix=ok",
				"captcha.default-provider=acme", "captcha.providers.acme.min-score=0.3",
				"captcha.providers.strong.type=builtin", "captcha.builtin.site-keys=demo",
				"captcha.routes[0].path=/api/signup", "captcha.routes[0].action=signup",
				"captcha.routes[0].escalate-below=0.7", "captcha.routes[0].escalate-to=strong",
				"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
class CustomProviderFactoryIntegrationTests extends CustomProviderScenarios {

	@Configuration(proxyBeanMethods = false)
	static class FactoryStyle {

		@Bean
		CaptchaProviderFactory acmeProviderFactory() {
			return new CaptchaProviderFactory() {

				@Override
				public String type() {
					return "acme-type";
				}

				@Override
				public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
					return definition.policy(new CustomProviderApplication.AcmeVerifier(definition.name(),
							definition.requiredSetting("accept-prefix")), capabilities());
				}

			};
		}

	}

}
