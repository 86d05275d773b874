package io.github.captchasecurity.it;

import io.github.captchasecurity.CaptchaVerifier;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The custom provider "acme" as a {@code CaptchaVerifier} bean named acme, configured by
 * its properties.
 */
@SpringBootTest(classes = { CustomProviderApplication.class, CustomProviderBeanIntegrationTests.BeanStyle.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.default-provider=acme", "captcha.providers.acme.min-score=0.3",
				"captcha.providers.strong.type=builtin", "captcha.builtin.site-keys=demo",
				"captcha.routes[0].path=/api/signup", "captcha.routes[0].action=signup",
				"captcha.routes[0].escalate-below=0.7", "captcha.routes[0].escalate-to=strong",
				"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
class CustomProviderBeanIntegrationTests extends CustomProviderScenarios {

	@Configuration(proxyBeanMethods = false)
	static class BeanStyle {

		@Bean
		CaptchaVerifier acme() {
			return new CustomProviderApplication.AcmeVerifier("acme", "ok");
		}

	}

}
