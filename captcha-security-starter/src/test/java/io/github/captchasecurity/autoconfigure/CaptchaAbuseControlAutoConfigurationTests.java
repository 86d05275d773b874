package io.github.captchasecurity.autoconfigure;

import java.time.Duration;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.clientip.TrustedProxyClientIpResolver;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of the abuse controls: escalation routes, server-issued challenges,
 * trusted proxies, failed logins and step-up thresholds, and the start-up failures naming
 * the bad property.
 */
class CaptchaAbuseControlAutoConfigurationTests {

	private static final String[] PROVIDERS = { "captcha.default-provider=local",
			"captcha.providers.local.type=builtin", "captcha.builtin.site-keys=demo",
			"captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=test-secret" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class))
		.withPropertyValues(PROVIDERS);

	@Test
	void defaultsThenLoginAttemptsAndSocketPeerAsClient() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CaptchaLoginAttempts.class);
			assertThat(context).hasSingleBean(ClientIpResolver.class);
			MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
			request.setRemoteAddr("10.0.0.2");
			request.addHeader("X-Forwarded-For", "198.51.100.7");
			assertThat(context.getBean(ClientIpResolver.class).apply(request)).isEqualTo("10.0.0.2");
			assertThat(context.getBean(CaptchaLoginAttempts.class).getUsernameParameter()).isEqualTo("username");
		});
	}

	@Test
	void trustedProxiesThenClientIpResolvedBehindThem() {
		this.contextRunner
			.withPropertyValues("captcha.client-ip.trusted-proxies[0]=10.0.0.0/8",
					"captcha.client-ip.trusted-proxies[1]=192.0.2.1", "captcha.client-ip.trusted-proxies[2]=fd00::/8")
			.run((context) -> {
				TrustedProxyClientIpResolver resolver = context.getBean(TrustedProxyClientIpResolver.class);
				assertThat(resolver.isTrusted("10.200.0.1")).isTrue();
				assertThat(resolver.isTrusted("192.0.2.1")).isTrue();
				assertThat(resolver.isTrusted("192.0.2.2")).isFalse();
				assertThat(resolver.isTrusted("fd12::1")).isTrue();
				assertThat(resolver.isTrusted("2001:db8::1")).isFalse();
				MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
				request.setRemoteAddr("10.0.0.2");
				request.addHeader("X-Forwarded-For", "198.51.100.7, 192.0.2.1");
				assertThat(resolver.apply(request)).isEqualTo("198.51.100.7");
			});
	}

	@Test
	void loginThresholdThenUsedByLoginAttempts() {
		this.contextRunner.withPropertyValues("captcha.login.failures-before-captcha=1", "captcha.login.window=1m")
			.run((context) -> {
				CaptchaLoginAttempts attempts = context.getBean(CaptchaLoginAttempts.class);
				assertThat(attempts.isCaptchaRequired("198.51.100.7", "alice")).isFalse();
				attempts.recordFailure("198.51.100.7", "alice");
				assertThat(attempts.isCaptchaRequired("198.51.100.8", "alice")).isTrue();
				assertThat(attempts.isCaptchaRequired("198.51.100.7", "bob")).isTrue();
			});
	}

	@Test
	void loginThresholdZeroThenCaptchaAlwaysRequired() {
		this.contextRunner.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> assertThat(
					context.getBean(CaptchaLoginAttempts.class).isCaptchaRequired((String) null, (String) null))
				.isTrue());
	}

	@Test
	void loginAttemptsWhenUserDefinesOneThenBacksOff() {
		CaptchaLoginAttempts mine = new CaptchaLoginAttempts(7, Duration.ofMinutes(1), (request) -> null);
		this.contextRunner.withBean(CaptchaLoginAttempts.class, () -> mine)
			.run((context) -> assertThat(context).getBean(CaptchaLoginAttempts.class).isSameAs(mine));
	}

	@Test
	void loginAttemptsWhenSpringSecurityMissingThenNotDefined() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AbstractAuthenticationFailureEvent.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(CaptchaLoginAttempts.class);
			});
	}

	@Test
	void routesWhenEscalationAndServerChallengeThenRulesCarryThem() {
		this.contextRunner
			.withPropertyValues("captcha.routes[0].path=/api/pay", "captcha.routes[0].provider=google",
					"captcha.routes[0].action=pay", "captcha.routes[0].min-score=0.3",
					"captcha.routes[0].escalate-below=0.7", "captcha.routes[0].escalate-to=local",
					"captcha.routes[1].path=/api/transfer", "captcha.routes[1].action=transfer",
					"captcha.routes[1].server-challenge=true", "captcha.routes[2].path=/api/step-up",
					"captcha.routes[2].provider=google", "captcha.routes[2].escalate-to= local ")
			.run((context) -> {
				PathPatternCaptchaRuleResolver routes = context.getBean(PathPatternCaptchaRuleResolver.class);
				CaptchaRule pay = routes.resolve(new MockHttpServletRequest("POST", "/api/pay"));
				assertThat(pay.providers()).containsExactly("google");
				assertThat(pay.minScore()).isEqualTo(0.3);
				assertThat(pay.escalateBelow()).isEqualTo(0.7);
				assertThat(pay.escalateTo()).isEqualTo("local");
				assertThat(pay.serverChallenge()).isFalse();
				CaptchaRule transfer = routes.resolve(new MockHttpServletRequest("POST", "/api/transfer"));
				assertThat(transfer.serverChallenge()).isTrue();
				assertThat(transfer.action()).isEqualTo("transfer");
				assertThat(transfer.escalateTo()).isNull();
				CaptchaRule stepUp = routes.resolve(new MockHttpServletRequest("POST", "/api/step-up"));
				assertThat(stepUp.escalateBelow()).isNull();
				assertThat(stepUp.escalateTo()).isEqualTo("local");
			});
	}

	@Test
	void routesWhenEscalateToUnknownProviderThenStartupFails() {
		assertFailure("captcha.routes[0].escalate-to", "captcha.routes[0].path=/api/pay",
				"captcha.routes[0].escalate-to=nope");
	}

	@Test
	void routesWhenEscalateBelowWithoutEscalateToThenStartupFails() {
		assertFailure("captcha.routes[0].escalate-to", "captcha.routes[0].path=/api/pay",
				"captcha.routes[0].provider=google", "captcha.routes[0].escalate-below=0.7");
	}

	@Test
	void routesWhenEscalateBelowOutOfRangeThenStartupFails() {
		assertFailure("captcha.routes[0].escalate-below", "captcha.routes[0].path=/api/pay",
				"captcha.routes[0].provider=google", "captcha.routes[0].escalate-below=1.5",
				"captcha.routes[0].escalate-to=local");
	}

	@Test
	void routesWhenServerChallengeOnRecaptchaRouteThenStartupFails() {
		assertFailure("captcha.routes[0].server-challenge", "captcha.routes[0].path=/api/transfer",
				"captcha.routes[0].provider=google", "captcha.routes[0].server-challenge=true");
	}

	@Test
	void routesWhenServerChallengeAndDefaultProviderIsRecaptchaThenStartupFails() {
		assertFailure("captcha.routes[0].server-challenge", "captcha.default-provider=google",
				"captcha.routes[0].path=/api/transfer", "captcha.routes[0].server-challenge=true");
	}

	@Test
	void routesWhenServerChallengeEscalatesToRecaptchaThenStartupFails() {
		this.contextRunner
			.withPropertyValues("captcha.routes[0].path=/api/transfer", "captcha.routes[0].provider=local",
					"captcha.routes[0].action=transfer", "captcha.routes[0].server-challenge=true",
					"captcha.routes[0].escalate-to=google")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void trustedProxiesWhenNotAnAddressThenStartupFails() {
		assertFailure("captcha.client-ip.trusted-proxies[0]", "captcha.client-ip.trusted-proxies[0]=not-an-ip");
	}

	@Test
	void trustedProxiesWhenPrefixTooLongThenStartupFailsNamingTheEntry() {
		assertFailure("captcha.client-ip.trusted-proxies[1]", "captcha.client-ip.trusted-proxies[0]=10.0.0.0/8",
				"captcha.client-ip.trusted-proxies[1]=10.0.0.0/33");
	}

	@Test
	void loginWhenNegativeThresholdThenStartupFails() {
		assertFailure("captcha.login.failures-before-captcha", "captcha.login.failures-before-captcha=-1");
	}

	@Test
	void loginWhenWindowNotPositiveThenStartupFails() {
		assertFailure("captcha.login.window", "captcha.login.window=0s");
	}

	@Test
	void abuseWhenNegativeStepUpThenStartupFails() {
		assertFailure("captcha.abuse.step-up-after", "captcha.abuse.step-up-after=-1");
	}

	@Test
	void abuseWhenNegativeBlockThenStartupFails() {
		assertFailure("captcha.abuse.block-after", "captcha.abuse.block-after=-1");
	}

	@Test
	void abuseWhenWindowNotPositiveThenStartupFails() {
		assertFailure("captcha.abuse.window", "captcha.abuse.window=0s");
	}

	private void assertFailure(String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + property + " ");
			InvalidConfigurationPropertyValueException root = (InvalidConfigurationPropertyValueException) rootCause(
					context.getStartupFailure());
			assertThat(root.getName()).isEqualTo(property);
		});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
