package io.github.captchasecurity.autoconfigure;

import java.util.List;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.token.CaptchaTokenResolver;
import io.github.captchasecurity.token.ResolvedToken;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up validation and mapping of the hosted provider types. */
@ExtendWith(OutputCaptureExtension.class)
class HostedProviderConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class));

	@Test
	void startupWhenHcaptchaWithoutSecretThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.secret", "captcha.providers.p.type=hcaptcha");
	}

	@Test
	void startupWhenTurnstileWithoutSecretThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.secret", "captcha.providers.p.type=turnstile");
	}

	@Test
	void startupWhenCaptchalaWithoutAppKeyThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.app-key", "captcha.providers.p.type=captchala",
				"captcha.providers.p.app-secret=s");
	}

	@Test
	void startupWhenCaptchalaWithoutAppSecretThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.app-secret", "captcha.providers.p.type=captchala",
				"captcha.providers.p.app-key=k");
	}

	@Test
	void startupWhenEnterpriseWithoutApiKeyThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.api-key", "captcha.providers.p.type=recaptcha-enterprise",
				"captcha.providers.p.project-id=x", "captcha.providers.p.site-key=k");
	}

	@Test
	void startupWhenEnterpriseWithoutProjectIdThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.project-id", "captcha.providers.p.type=recaptcha-enterprise",
				"captcha.providers.p.api-key=a", "captcha.providers.p.site-key=k");
	}

	@Test
	void startupWhenEnterpriseWithoutSiteKeyThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.site-key", "captcha.providers.p.type=recaptcha-enterprise",
				"captcha.providers.p.api-key=a", "captcha.providers.p.project-id=x");
	}

	@Test
	void startupWhenFriendlyWithoutApiKeyThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.api-key", "captcha.providers.p.type=friendly-captcha");
	}

	@Test
	void startupWhenTurnstileHasMinScoreThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.min-score", "captcha.providers.p.type=turnstile",
				"captcha.providers.p.secret=s", "captcha.providers.p.min-score=0.5");
	}

	@Test
	void startupWhenMaxTokenLengthZeroThenFailureNamesProperty() {
		assertFailure("captcha.providers.p.max-token-length", "captcha.providers.p.type=turnstile",
				"captcha.providers.p.secret=s", "captcha.providers.p.max-token-length=0");
	}

	@Test
	void startupWhenRouteListsUnknownProviderThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].provider", "captcha.providers.p.type=turnstile",
				"captcha.providers.p.secret=s", "captcha.routes[0].path=/a", "captcha.routes[0].provider=p,nope");
	}

	@Test
	void providersWhenOverriddenThenCapAndFieldApplied() {
		this.contextRunner
			.withPropertyValues("captcha.providers.p.type=turnstile", "captcha.providers.p.secret=s",
					"captcha.providers.p.max-token-length=1000", "captcha.providers.p.form-field=ts-token")
			.run((context) -> {
				CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
				assertThat(service.provider("p").maxTokenLength()).isEqualTo(1000);
				assertThat(service.provider("p").formField()).isEqualTo("ts-token");
				MockHttpServletRequest form = new MockHttpServletRequest("POST", "/");
				form.setContentType("application/x-www-form-urlencoded");
				form.addParameter("ts-token", "abc");
				ResolvedToken resolved = context.getBean(CaptchaTokenResolver.class).resolve(form);
				assertThat(resolved.token()).isEqualTo("abc");
				assertThat(resolved.fields()).containsExactly("ts-token");
			});
	}

	@Test
	void tokenResolverWhenProvidersConfiguredThenReadsTheirWidgetFields() {
		this.contextRunner
			.withPropertyValues("captcha.default-provider=f", "captcha.providers.f.type=friendly-captcha",
					"captcha.providers.f.api-key=k", "captcha.providers.c.type=captchala",
					"captcha.providers.c.app-key=k", "captcha.providers.c.app-secret=s")
			.run((context) -> {
				CaptchaTokenResolver resolver = context.getBean(CaptchaTokenResolver.class);
				for (String field : List.of("frc-captcha-response", "captchala-token", "g-recaptcha-response")) {
					MockHttpServletRequest form = new MockHttpServletRequest("POST", "/");
					form.setContentType("application/x-www-form-urlencoded");
					form.addParameter(field, "tok");
					assertThat(resolver.resolve(form).token()).as(field).isEqualTo("tok");
				}
			});
	}

	@Test
	void routeWhenProviderListAndFailOpenThenRuleCarriesThem() {
		this.contextRunner
			.withPropertyValues("captcha.providers.t.type=turnstile", "captcha.providers.t.secret=s",
					"captcha.providers.b.type=builtin", "captcha.builtin.site-keys=k", "captcha.default-provider=t",
					"captcha.routes[0].path=/a", "captcha.routes[0].provider=t,b", "captcha.routes[0].fail-open=true")
			.run((context) -> assertThat(context.getBean(PathPatternCaptchaRuleResolver.class)
				.resolve(new MockHttpServletRequest("POST", "/a")))
				.isEqualTo(new CaptchaRule(List.of("t", "b"), null, null, true)));
	}

	@Test
	void routeWhenMinScoreOnProviderThatDoesNotScoreThenWarnsNamingTheRoute(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("captcha.providers.t.type=turnstile", "captcha.providers.t.secret=s",
					"captcha.routes[0].path=/a", "captcha.routes[0].min-score=0.7")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("captcha.routes[0].min-score is ignored for provider 't'");
			});
	}

	@Test
	void captchalaWhenOptInsThenLoggedAtStartup(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("captcha.providers.c.type=captchala", "captcha.providers.c.app-key=k",
					"captcha.providers.c.app-secret=s", "captcha.providers.c.accept-client-only=true",
					"captcha.providers.c.accept-degraded=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("accepts CaptchaLa client_ tokens WITHOUT server-side verification")
					.contains("accepts degraded CaptchaLa dg_ tokens");
			});
	}

	@Test
	void providersWhenOfficialTestSecretsThenWarnedAndInTestMode(CapturedOutput output) {
		this.contextRunner.withPropertyValues("captcha.default-provider=t", "captcha.providers.t.type=turnstile",
				"captcha.providers.t.secret=1x0000000000000000000000000000000AA", "captcha.providers.h.type=hcaptcha",
				"captcha.providers.h.secret=0x0000000000000000000000000000000000000000",
				"captcha.providers.l.type=turnstile", "captcha.providers.l.secret=live-secret")
			.run((context) -> {
				CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
				assertThat(service.provider("t").verifier().isTestMode()).isTrue();
				assertThat(service.provider("h").verifier().isTestMode()).isTrue();
				assertThat(service.provider("l").verifier().isTestMode()).isFalse();
				assertThat(output).contains("CAPTCHA provider 't' uses the provider's official TEST credentials")
					.doesNotContain("CAPTCHA provider 'l' uses");
			});
	}

	@Test
	void secretsWhenStartupFailsThenNeverEchoed() {
		this.contextRunner
			.withPropertyValues("captcha.providers.c.type=captchala", "captcha.providers.c.app-key=k",
					"captcha.providers.c.app-secret=very-secret-value", "captcha.providers.c.min-score=2")
			.run((context) -> assertThat(rootCause(context.getStartupFailure()))
				.hasMessageNotContaining("very-secret-value"));
	}

	private void assertFailure(String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable root = rootCause(context.getStartupFailure());
			assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
			assertThat(((InvalidConfigurationPropertyValueException) root).getName()).isEqualTo(property);
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
