package io.github.captchasecurity.autoconfigure;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up checks and defaults of the built-in provider's challenge types and per-client
 * limits: {@code captcha.builtin.challenge-types},
 * {@code captcha.routes[].challenge-types} and {@code escalate-challenge-types},
 * {@code captcha.builtin.limits.*-per-client-per-hour}.
 */
class BuiltinHardeningPropertiesTests {

	private static final String[] BUILTIN = { "captcha.providers.local.type=builtin",
			"captcha.builtin.site-keys=demo" };

	private static final String[] GOOGLE = { "captcha.providers.google.type=recaptcha",
			"captcha.providers.google.secret=x" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class));

	@Test
	void defaultsWhenNothingSetThenEveryTypeAndSixtyAndOneHundredTwentyPerClient() {
		this.contextRunner.withPropertyValues(BUILTIN).run((context) -> {
			BuiltinCaptchaService service = context.getBean(BuiltinCaptchaService.class);
			assertThat(service.settings().challengeTypes()).isEqualTo(EnumSet.allOf(ChallengeType.class));
			assertThat(service.settings().generatePerClientPerHour()).isEqualTo(60);
			assertThat(service.settings().validatePerClientPerHour()).isEqualTo(120);
			assertThat(service.settings().generatePerHour()).isEqualTo(100);
			assertThat(service.settings().validatePerHour()).isEqualTo(200);
		});
	}

	@Test
	void builtinWhenTypesAndClientLimitsSetThenApplied() {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues("captcha.builtin.challenge-types=Image,grid",
					"captcha.builtin.limits.generate-per-client-per-hour=7",
					"captcha.builtin.limits.validate-per-client-per-hour=9")
			.run((context) -> {
				BuiltinCaptchaService service = context.getBean(BuiltinCaptchaService.class);
				assertThat(service.settings().challengeTypes()).containsExactlyInAnyOrder(ChallengeType.IMAGE,
						ChallengeType.GRID);
				assertThat(service.settings().generatePerClientPerHour()).isEqualTo(7);
				assertThat(service.settings().validatePerClientPerHour()).isEqualTo(9);
			});
	}

	@Test
	void routeWhenChallengeTypesThenOnTheRuleAndEscalationToBuiltinAsksForGrid() {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues(GOOGLE)
			.withPropertyValues("captcha.default-provider=google", "captcha.routes[0].path=/a",
					"captcha.routes[0].provider=local", "captcha.routes[0].challenge-types=IMAGE, grid",
					"captcha.routes[1].path=/b", "captcha.routes[1].escalate-to=local", "captcha.routes[2].path=/c",
					"captcha.routes[2].escalate-to=local", "captcha.routes[2].escalate-challenge-types=image")
			.run((context) -> {
				PathPatternCaptchaRuleResolver routes = context.getBean(PathPatternCaptchaRuleResolver.class);
				CaptchaRule a = routes.resolve(new MockHttpServletRequest("POST", "/a"));
				assertThat(a.challengeTypes()).containsExactly("image", "grid");
				CaptchaRule b = routes.resolve(new MockHttpServletRequest("POST", "/b"));
				assertThat(b.challengeTypes()).isEmpty();
				assertThat(b.escalateChallengeTypes()).containsExactly("grid");
				assertThat(routes.resolve(new MockHttpServletRequest("POST", "/c")).escalateChallengeTypes())
					.containsExactly("image");
			});
	}

	@Test
	void routeWhenGridNotAllowedThenEscalationAsksForTheStrongestAllowed() {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues(GOOGLE)
			.withPropertyValues("captcha.default-provider=google", "captcha.builtin.challenge-types=pow,image",
					"captcha.routes[0].path=/a", "captcha.routes[0].escalate-to=local")
			.run((context) -> assertThat(context.getBean(PathPatternCaptchaRuleResolver.class)
				.resolve(new MockHttpServletRequest("POST", "/a"))
				.escalateChallengeTypes()).isEqualTo(List.of("image")));
	}

	@Test
	void startupWhenRouteChallengeTypesWithOnlyHostedProvidersThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].challenge-types",
				concat(GOOGLE, "captcha.routes[0].path=/a", "captcha.routes[0].challenge-types=image"));
	}

	@Test
	void startupWhenRouteChallengeTypeUnknownThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].challenge-types[1]",
				concat(BUILTIN, "captcha.routes[0].path=/a", "captcha.routes[0].challenge-types=image,audio"));
	}

	@Test
	void startupWhenRouteChallengeTypeNotAllowedBySiteKeysThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].challenge-types[0]", concat(BUILTIN, "captcha.builtin.challenge-types=image",
				"captcha.routes[0].path=/a", "captcha.routes[0].challenge-types=math"));
	}

	@Test
	void startupWhenEscalateChallengeTypesWithoutBuiltinEscalationThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].escalate-challenge-types",
				concat(BUILTIN, "captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=x",
						"captcha.default-provider=local", "captcha.routes[0].path=/a",
						"captcha.routes[0].escalate-to=google", "captcha.routes[0].escalate-challenge-types=grid"));
	}

	@Test
	void startupWhenEscalateChallengeTypesOnTheRoutesOwnProviderThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].escalate-challenge-types", concat(BUILTIN, "captcha.routes[0].path=/a",
				"captcha.routes[0].escalate-to=local", "captcha.routes[0].escalate-challenge-types=grid"));
	}

	@Test
	void startupWhenBuiltinChallengeTypeUnknownThenFailureNamesProperty() {
		assertFailure("captcha.builtin.challenge-types[0]", concat(BUILTIN, "captcha.builtin.challenge-types=audio"));
	}

	@Test
	void startupWhenClientLimitsBelowOneThenFailureNamesProperty() {
		assertFailure("captcha.builtin.limits.generate-per-client-per-hour",
				concat(BUILTIN, "captcha.builtin.limits.generate-per-client-per-hour=0"));
		assertFailure("captcha.builtin.limits.validate-per-client-per-hour",
				concat(BUILTIN, "captcha.builtin.limits.validate-per-client-per-hour=-1"));
	}

	private void assertFailure(String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable root = context.getStartupFailure();
			while (root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
			assertThat(((InvalidConfigurationPropertyValueException) root).getName()).isEqualTo(property);
		});
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

}
