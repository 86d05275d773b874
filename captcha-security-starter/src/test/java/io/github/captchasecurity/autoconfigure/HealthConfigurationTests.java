package io.github.captchasecurity.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class HealthConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class))
		.withPropertyValues("captcha.builtin.site-keys=demo");

	@Test
	void healthWhenActuatorPresentThenCaptchaContributorWithOneComponentPerProviderAndTheStore() {
		this.contextRunner.withUserConfiguration(Flaky.class).run((context) -> {
			assertThat(context).hasBean("captchaHealthContributor");
			CompositeHealthContributor captcha = context.getBean("captchaHealthContributor",
					CompositeHealthContributor.class);
			assertThat(captcha.stream().map(HealthContributors.Entry::name)).containsExactly("flaky", "store");
			Health store = health(captcha, "store");
			assertThat(store.getStatus()).isEqualTo(Status.UP);
			assertThat(store.getDetails()).containsEntry("type", "memory")
				.containsEntry("samples", 0)
				.doesNotContainKey("lastFailure");
		});
	}

	@Test
	void healthWhenProviderUnavailableAboveTheMaxErrorRateThenDownWithDetailsAndNoSecrets() {
		this.contextRunner.withUserConfiguration(Flaky.class)
			.withPropertyValues("captcha.health.window=4", "captcha.health.max-error-rate=0.5")
			.run((context) -> {
				CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
				CompositeHealthContributor captcha = context.getBean("captchaHealthContributor",
						CompositeHealthContributor.class);
				Flaky.down = false;
				for (int i = 0; i < 4; i++) {
					service.verify(CaptchaRule.defaults(), "good-token-" + i, "203.0.113.9");
				}
				assertThat(health(captcha, "flaky").getStatus()).isEqualTo(Status.UP);
				Flaky.down = true;
				service.verify(CaptchaRule.defaults(), "token-a", "203.0.113.9");
				service.verify(CaptchaRule.defaults(), "token-b", "203.0.113.9");
				// 2 of 4: at the threshold, still up
				assertThat(health(captcha, "flaky").getStatus()).isEqualTo(Status.UP);
				service.verify(CaptchaRule.defaults(), "token-c", "203.0.113.9");
				Health down = health(captcha, "flaky");
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails()).containsEntry("errorRate", 0.75)
					.containsEntry("samples", 4)
					.containsEntry("errors", 3)
					.containsKey("lastFailure");
				assertThat(down.getDetails().toString()).doesNotContain("token-", "203.0.113", "secret");
				// a request with no token never reached the provider: not counted
				service.verify(CaptchaRule.defaults(), null, "203.0.113.9");
				assertThat(health(captcha, "flaky").getDetails()).containsEntry("samples", 4);
			});
	}

	@Test
	void healthWhenHealthSupportMissingThenNoContributorAndTheEngineStillStarts() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean("captchaHealthContributor")
				.doesNotHaveBean(CaptchaHealthRecorder.class)
				.hasSingleBean(CaptchaVerificationService.class));
	}

	@Test
	void healthWhenDisabledByManagementPropertyThenNoContributor() {
		this.contextRunner.withPropertyValues("management.health.captcha.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("captchaHealthContributor")
				.doesNotHaveBean(CaptchaHealthRecorder.class)
				.hasSingleBean(CaptchaVerificationService.class));
	}

	@Test
	void healthWhenUserDefinesTheContributorThenItsOwnIsUsed() {
		this.contextRunner.withUserConfiguration(OwnContributor.class)
			.run((context) -> assertThat(context.getBean("captchaHealthContributor"))
				.isSameAs(OwnContributor.contributor));
	}

	@Test
	void healthWhenWindowOrMaxErrorRateOutOfRangeThenStartUpFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("captcha.health.window=0")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("captcha.health.window"));
		this.contextRunner.withPropertyValues("captcha.health.max-error-rate=1.5")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("captcha.health.max-error-rate"));
	}

	private static Health health(CompositeHealthContributor captcha, String component) {
		return ((HealthIndicator) captcha.getContributor(component)).health();
	}

	/** A remote provider named "flaky" that is unavailable while {@link #down} is set. */
	@Configuration(proxyBeanMethods = false)
	static class Flaky {

		static volatile boolean down;

		@Bean
		CaptchaVerifier flaky() {
			return new CaptchaVerifier() {

				@Override
				public VerificationResult verify(VerificationRequest request) {
					return down ? VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, "flaky")
							: new VerificationResult(VerificationOutcome.PASSED, "flaky", null, null, null, null,
									List.of());
				}

				@Override
				public boolean isRemote() {
					return true;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnContributor {

		static final CompositeHealthContributor contributor = CompositeHealthContributor
			.fromMap(Map.of("own", (HealthIndicator) () -> Health.up().build()));

		@Bean
		CompositeHealthContributor captchaHealthContributor() {
			return contributor;
		}

	}

}
