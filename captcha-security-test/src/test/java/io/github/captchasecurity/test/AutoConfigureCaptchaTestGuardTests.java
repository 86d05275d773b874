package io.github.captchasecurity.test;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The guard of {@link AutoConfigureCaptchaTest}: outside a context the TestContext
 * framework built for an annotated test class, start-up fails instead of turning CAPTCHA
 * verification off. Without the guard, an application whose main class carries the
 * annotation (or that imports the kit's configuration) would start and accept every
 * {@code pass} token.
 */
class AutoConfigureCaptchaTestGuardTests {

	@Test
	void applicationWhoseMainClassCarriesTheAnnotationFailsToStart() {
		SpringApplication application = new SpringApplication(ShippedByMistake.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Throwable failure = catchThrowable(() -> application
			.run("--captcha.providers.google.type=recaptcha", "--captcha.providers.google.secret=real-secret")
			.close());
		assertThat(rootCause(failure)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("@AutoConfigureCaptchaTest")
			.hasMessageContaining("<scope>test</scope>");
	}

	@Test
	void contextNotBuiltByTheTestContextFrameworkFailsToStart() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(CaptchaTestAutoConfiguration.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("did not build for a test class"));
	}

	@Test
	void withCaptchaDisabledItStillRefusesToStartOutsideATest() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(CaptchaTestAutoConfiguration.class))
			.withPropertyValues("captcha.enabled=false")
			.run((context) -> assertThat(context).hasFailed());
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigureCaptchaTest
	static class ShippedByMistake {

	}

}
