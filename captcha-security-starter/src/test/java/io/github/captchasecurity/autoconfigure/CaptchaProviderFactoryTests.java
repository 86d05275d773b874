package io.github.captchasecurity.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.event.CaptchaEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider SPI of the auto-configuration (gh-9): shipped factories back off or are
 * replaced, custom types read their settings, verifier beans become providers, and
 * builder customizers keep metrics and events.
 */
class CaptchaProviderFactoryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class))
		.withPropertyValues("captcha.builtin.site-keys=demo");

	@Test
	void shippedFactoriesAreBeansOnePerType() {
		this.contextRunner.run((context) -> assertThat(context.getBeansOfType(CaptchaProviderFactory.class)
			.values()
			.stream()
			.map(CaptchaProviderFactory::type)).containsExactlyInAnyOrder("builtin", "recaptcha",
					"recaptcha-enterprise", "hcaptcha", "turnstile", "captchala", "friendly-captcha"));
	}

	@Test
	void shippedFactoriesAreFoundWithoutABeanMethodAndNamedAfterTheirType() {
		// Adding a type is one factory class: the registrar finds it, no list to extend
		this.contextRunner.run((context) -> assertThat(context.getBeansOfType(CaptchaProviderFactory.class).keySet())
			.containsExactlyInAnyOrder("builtinCaptchaProviderFactory", "recaptchaCaptchaProviderFactory",
					"recaptchaEnterpriseCaptchaProviderFactory", "hcaptchaCaptchaProviderFactory",
					"turnstileCaptchaProviderFactory", "captchalaCaptchaProviderFactory",
					"friendlyCaptchaCaptchaProviderFactory"));
	}

	@Test
	void factoryBeanOfAShippedTypeReplacesTheShippedOne() {
		this.contextRunner.withUserConfiguration(OwnRecaptcha.class)
			.withPropertyValues("captcha.providers.google.type=recaptcha")
			.run((context) -> {
				CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
				assertThat(service.provider("google").verifier()).isSameAs(OwnRecaptcha.VERIFIER);
			});
	}

	@Test
	void factoryBeanNamedLikeAShippedOneMakesItBackOff() {
		this.contextRunner.withUserConfiguration(OwnRecaptcha.class)
			.run((context) -> assertThat(context.getBean("recaptchaCaptchaProviderFactory"))
				.isInstanceOf(OwnFactory.class));
	}

	@Test
	void twoApplicationFactoriesOfOneTypeFailStartup() {
		this.contextRunner.withUserConfiguration(OwnRecaptcha.class, AnotherRecaptcha.class)
			.withPropertyValues("captcha.providers.google.type=recaptcha")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Two CaptchaProviderFactory beans build provider type 'recaptcha'"));
	}

	@Test
	void customTypeReadsItsSettings() {
		this.contextRunner.withUserConfiguration(AcmeType.class)
			.withPropertyValues("captcha.providers.x.type=Acme", "captcha.providers.x.settings.answer=42")
			.run((context) -> {
				CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
				assertThat(service.defaultProvider()).isEqualTo("x");
				assertThat(service.verify(CaptchaRule.defaults(), "42", "203.0.113.1").passed()).isTrue();
				assertThat(service.verify(CaptchaRule.defaults(), "41", "203.0.113.1").outcome())
					.isEqualTo(VerificationOutcome.INVALID);
			});
	}

	@Test
	void customTypeWithoutItsSettingFailsStartupNamingItWithoutTheValue() {
		this.contextRunner.withUserConfiguration(AcmeType.class)
			.withPropertyValues("captcha.providers.x.type=acme")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("captcha.providers.x.settings.answer"));
	}

	@Test
	void unknownTypeFailsStartupListingTheKnownOnes() {
		this.contextRunner.withUserConfiguration(AcmeType.class)
			.withPropertyValues("captcha.providers.x.type=geetest")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("captcha.providers.x.type")
				.hasMessageContaining("acme")
				.hasMessageContaining("turnstile"));
	}

	@Test
	void verifierBeanIsTheOnlyProviderWhenNoneIsConfigured() {
		this.contextRunner.withUserConfiguration(AcmeBean.class).run((context) -> {
			CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
			assertThat(service.providerNames()).containsExactly("acme");
			assertThat(service.defaultProvider()).isEqualTo("acme");
		});
	}

	@Test
	void verifierBeanTakesTheCommonPropertiesOfItsName() {
		this.contextRunner.withUserConfiguration(AcmeBean.class)
			.withPropertyValues("captcha.providers.acme.hostnames=example.com", "captcha.providers.acme.min-score=0.4")
			.run((context) -> {
				ProviderPolicy policy = context.getBean(CaptchaVerificationService.class).provider("acme");
				assertThat(policy.hostnames()).containsExactly("example.com");
				assertThat(policy.minScore()).isEqualTo(0.4);
			});
	}

	@Test
	void verifierBeanWithATypeUnderItsNameFailsStartup() {
		this.contextRunner.withUserConfiguration(AcmeBean.class)
			.withPropertyValues("captcha.providers.acme.type=builtin")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("captcha.providers.acme.type"));
	}

	@Test
	void customizerListenerIsCalledAndMetricsAndEventsStillFire() {
		this.contextRunner.withUserConfiguration(Customized.class).run((context) -> {
			CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
			service.verify(CaptchaRule.defaults(), null, "203.0.113.1");
			Customized customized = context.getBean(Customized.class);
			assertThat(customized.seen).containsExactly("captcha_missing");
			assertThat(customized.events).hasSize(1);
			assertThat(context.getBean(MeterRegistry.class)
				.get("captcha.verifications")
				.tags("provider", "builtin", "outcome", "captcha_missing")
				.counter()
				.count()).isEqualTo(1.0);
		});
	}

	static class OwnFactory implements CaptchaProviderFactory {

		@Override
		public String type() {
			return "recaptcha";
		}

		@Override
		public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
			return definition.policy(OwnRecaptcha.VERIFIER, capabilities());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRecaptcha {

		static final CaptchaVerifier VERIFIER = (request) -> VerificationResult.of(VerificationOutcome.PASSED,
				"google");

		@Bean
		CaptchaProviderFactory recaptchaCaptchaProviderFactory() {
			return new OwnFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AnotherRecaptcha {

		@Bean
		CaptchaProviderFactory anotherRecaptchaFactory() {
			return new OwnFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AcmeType {

		@Bean
		CaptchaProviderFactory acmeFactory() {
			return new CaptchaProviderFactory() {

				@Override
				public String type() {
					return "acme";
				}

				@Override
				public ProviderCapabilities capabilities() {
					return ProviderCapabilities.builder("acme").formField("acme-token").build();
				}

				@Override
				public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
					String answer = definition.requiredSetting("answer");
					return definition.policy(
							(request) -> VerificationResult.of(request.token().equals(answer)
									? VerificationOutcome.PASSED : VerificationOutcome.INVALID, definition.name()),
							capabilities());
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AcmeBean {

		@Bean
		CaptchaVerifier acme() {
			return (request) -> VerificationResult.of(VerificationOutcome.PASSED, "acme");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customized {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<CaptchaEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		CaptchaVerificationServiceBuilderCustomizer captchaCustomizer() {
			return (builder) -> builder.listener((rule, result, context) -> this.seen.add(result.outcome().code()));
		}

		@Bean
		ApplicationListener<CaptchaEvent> captchaEvents() {
			return this.events::add;
		}

	}

}
