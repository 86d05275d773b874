package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.annotation.RequireCaptchaRuleResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hCaptcha and Friendly Captcha never report an action: a route or
 * {@code @RequireCaptcha} that expects one would refuse every token, so it fails start-up
 * naming the property, instead of passing tokens solved for any action.
 */
class ActionBindingStartupTests {

	private static final String[] HCAPTCHA = { "captcha.providers.p.type=hcaptcha",
			"captcha.providers.p.secret=0x1234567890abcdef1234567890abcdef12345678" };

	private static final String[] FRIENDLY = { "captcha.providers.p.type=friendly-captcha",
			"captcha.providers.p.api-key=frc-production-key" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class, WebMvcAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "hcaptcha", "friendly-captcha" })
	void startupWhenRouteExpectsActionOnProviderThatNeverReportsOneThenFailureNamesRouteAction(String type) {
		this.contextRunner.withPropertyValues(type.equals("hcaptcha") ? HCAPTCHA : FRIENDLY)
			.withPropertyValues("captcha.routes[0].path=/login", "captcha.routes[0].action=login")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable root = root(context.getStartupFailure());
				assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("[p]")
					.hasMessageContaining("never report an action");
				assertThat(((InvalidConfigurationPropertyValueException) root).getName())
					.isEqualTo("captcha.routes[0].action");
			});
	}

	@Test
	void startupWhenEscalationProviderNeverReportsActionThenFailureNamesRouteAction() {
		this.contextRunner.withPropertyValues(HCAPTCHA)
			.withPropertyValues("captcha.providers.local.type=builtin", "captcha.builtin.site-keys=demo",
					"captcha.default-provider=local", "captcha.routes[0].path=/login", "captcha.routes[0].action=login",
					"captcha.routes[0].escalate-to=p")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable root = root(context.getStartupFailure());
				assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
				assertThat(((InvalidConfigurationPropertyValueException) root).getName())
					.isEqualTo("captcha.routes[0].action");
			});
	}

	@Test
	void startupWhenRequireCaptchaExpectsActionOnProviderThatNeverReportsOneThenFailureNamesHandler() {
		this.contextRunner.withPropertyValues(HCAPTCHA).withUserConfiguration(AnnotatedLogin.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(root(context.getStartupFailure())).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("AnnotatedLogin#login")
				.hasMessageContaining("action 'login'")
				.hasMessageContaining("[p]");
		});
	}

	@Test
	void startupWhenRouteOnProviderThatNeverReportsActionSetsNoActionThenStarts() {
		this.contextRunner.withPropertyValues(HCAPTCHA)
			.withPropertyValues("captcha.routes[0].path=/login")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupWhenProviderUsesItsOfficialTestSecretThenActionAllowedBecauseTestModeSkipsTheCheck() {
		this.contextRunner
			.withPropertyValues("captcha.providers.p.type=hcaptcha",
					"captcha.providers.p.secret=0x0000000000000000000000000000000000000000",
					"captcha.routes[0].path=/login", "captcha.routes[0].action=login")
			.withUserConfiguration(AnnotatedLogin.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RequireCaptchaRuleResolver.class)
					.resolve(new MockHttpServletRequest("POST", "/annotated-login")))
					.isEqualTo(new CaptchaRule(null, "login", null));
			});
	}

	private static Throwable root(Throwable failure) {
		assertThat(failure).as("start-up failure").isNotNull();
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@RestController
	static class AnnotatedLogin {

		@PostMapping("/annotated-login")
		@RequireCaptcha(action = "login")
		String login() {
			return "ok";
		}

	}

}
