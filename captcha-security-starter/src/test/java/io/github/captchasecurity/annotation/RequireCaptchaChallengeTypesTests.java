package io.github.captchasecurity.annotation;

import java.util.List;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequireCaptcha#challengeTypes()}: carried onto the rule, checked at
 * start-up against the providers (a hosted provider has no challenge types, the site keys
 * must allow them).
 */
class RequireCaptchaChallengeTypesTests {

	private static final String[] BUILTIN = { "captcha.providers.local.type=builtin",
			"captcha.builtin.site-keys=demo" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class, WebMvcAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class));

	@Test
	void resolveWhenChallengeTypesThenOnTheRuleInLowerCase() {
		this.contextRunner.withPropertyValues(BUILTIN).withUserConfiguration(ImageOnly.class).run((context) -> {
			assertThat(context).hasNotFailed();
			CaptchaRule rule = context.getBean(RequireCaptchaRuleResolver.class)
				.resolve(new MockHttpServletRequest("POST", "/signup"));
			assertThat(rule).isNotNull();
			assertThat(rule.challengeTypes()).containsExactly("image", "grid");
		});
	}

	@Test
	void startupWhenChallengeTypesWithAHostedProviderThenFailsNamingTheHandler() {
		this.contextRunner
			.withPropertyValues("captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=x")
			.withUserConfiguration(ImageOnly.class)
			.run((context) -> assertThat(root(context.getStartupFailure())).hasMessageContaining("ImageOnly#signup")
				.hasMessageContaining("need a provider of type builtin"));
	}

	@Test
	void startupWhenChallengeTypeUnknownThenFails() {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withUserConfiguration(Unknown.class)
			.run((context) -> assertThat(root(context.getStartupFailure())).hasMessageContaining("Unknown#signup")
				.hasMessageContaining("'audio'"));
	}

	@Test
	void startupWhenChallengeTypeNotAllowedBySiteKeysThenFails() {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues("captcha.builtin.challenge-types=math,pow")
			.withUserConfiguration(ImageOnly.class)
			.run((context) -> assertThat(root(context.getStartupFailure()))
				.hasMessageContaining("captcha.builtin.challenge-types does not allow"));
	}

	@Test
	void resolveWhenNoChallengeTypesThenEmptyAsBefore() {
		this.contextRunner.withPropertyValues(BUILTIN).withUserConfiguration(Any.class).run((context) -> {
			CaptchaRule rule = context.getBean(RequireCaptchaRuleResolver.class)
				.resolve(new MockHttpServletRequest("POST", "/signup"));
			assertThat(rule).isEqualTo(new CaptchaRule(null, null, null));
			assertThat(rule.challengeTypes()).isEqualTo(List.of());
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
	static class ImageOnly {

		@PostMapping("/signup")
		@RequireCaptcha(challengeTypes = { "IMAGE", "grid" })
		String signup() {
			return "ok";
		}

	}

	@RestController
	static class Unknown {

		@PostMapping("/signup")
		@RequireCaptcha(challengeTypes = "audio")
		String signup() {
			return "ok";
		}

	}

	@RestController
	static class Any {

		@PostMapping("/signup")
		@RequireCaptcha
		String signup() {
			return "ok";
		}

	}

}
