package io.github.captchasecurity.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.annotation.RequireCaptchaRuleResolver;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpClientSettings;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.RateLimiter;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.servlet.CaptchaFailureHandler;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import io.github.captchasecurity.token.CaptchaTokenResolver;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import io.github.captchasecurity.token.ResolvedToken;
import io.github.captchasecurity.web.CaptchaFilterSwitch;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import io.github.captchasecurity.web.StandaloneCaptchaFilter;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

class CaptchaAutoConfigurationTests {

	private static final String[] RECAPTCHA = { "captcha.providers.google.type=recaptcha",
			"captcha.providers.google.secret=test-secret" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class));

	@Test
	void defaultsWhenNoProviderThenBuiltinIsTheDefaultAndNothingProtected() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(BuiltinCaptchaService.class);
			assertThat(context).hasSingleBean(ChallengeStore.class);
			assertThat(context).hasSingleBean(RateLimiter.class);
			FilterRegistrationBean<?> endpoints = context.getBean("builtinCaptchaEndpointRegistration",
					FilterRegistrationBean.class);
			assertThat(endpoints.isEnabled()).isTrue();
			assertThat(endpoints.getUrlPatterns()).containsExactly("/captcha/*");
			assertThat(endpoints.getOrder()).isLessThan(-101);
			assertThat(context).hasSingleBean(CaptchaVerificationService.class);
			assertThat(context).hasSingleBean(CaffeineReplayCache.class);
			assertThat(context).hasSingleBean(CaptchaHttpClient.class);
			assertThat(context).hasSingleBean(DefaultCaptchaTokenResolver.class);
			assertThat(context).hasSingleBean(CaptchaFailureHandler.class);
			assertThat(context).hasSingleBean(PathPatternCaptchaRuleResolver.class);
			assertThat(context.getBean(PathPatternCaptchaRuleResolver.class).isEmpty()).isTrue();
			CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
			assertThat(service.defaultProvider()).isEqualTo("builtin");
			assertThat(service.provider("builtin").scored()).isFalse();
			assertThat(service.provider("builtin").maxTokenAge()).isEqualTo(Duration.ofMinutes(5));
			FilterRegistrationBean<?> registration = context.getBean("captchaVerificationFilterRegistration",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(StandaloneCaptchaFilter.class);
			assertThat(context.getBean(CaptchaFilterSwitch.class).isStandalone()).isTrue();
			assertThat(registration.getOrder()).isEqualTo(-101);
			assertThat(registration.getUrlPatterns()).containsExactly("/*");
			assertThat(registration.determineDispatcherTypes()).containsExactlyInAnyOrder(DispatcherType.REQUEST,
					DispatcherType.FORWARD, DispatcherType.INCLUDE);
		});
	}

	@Test
	void propertiesWhenOneRecaptchaProviderThenItIsTheDefault() {
		this.contextRunner.withPropertyValues(RECAPTCHA)
			.withPropertyValues("captcha.providers.google.min-score=0.5",
					"captcha.providers.google.hostnames=example.com,*.example.org",
					"captcha.providers.google.max-token-age=90s", "captcha.token.max-length=100")
			.run((context) -> {
				CaptchaVerificationService service = context.getBean(CaptchaVerificationService.class);
				assertThat(service.defaultProvider()).isEqualTo("google");
				assertThat(service.provider("google").minScore()).isEqualTo(0.5);
				assertThat(service.provider("google").hostnames()).containsExactlyInAnyOrder("example.com",
						"*.example.org");
				assertThat(service.provider("google").maxTokenAge()).isEqualTo(Duration.ofSeconds(90));
				assertThat(service.provider("google").maxTokenLength()).isEqualTo(100);
			});
	}

	@Test
	void routesWhenConfiguredThenMatchedByPathAndMethod() {
		this.contextRunner.withPropertyValues(RECAPTCHA)
			.withPropertyValues("captcha.routes[0].path=/api/contact", "captcha.routes[0].methods=POST",
					"captcha.routes[0].action=contact", "captcha.routes[0].min-score=0.7")
			.run((context) -> {
				PathPatternCaptchaRuleResolver resolver = context.getBean(PathPatternCaptchaRuleResolver.class);
				assertThat(resolver.resolve(new MockHttpServletRequest("POST", "/api/contact")))
					.isEqualTo(new CaptchaRule(null, "contact", 0.7));
				assertThat(resolver.resolve(new MockHttpServletRequest("GET", "/api/contact"))).isNull();
			});
	}

	@Test
	void tokenPropertiesWhenSetThenResolverUsesThem() {
		this.contextRunner.withPropertyValues("captcha.token.header=X-Human", "captcha.token.form-fields=human")
			.run((context) -> {
				CaptchaTokenResolver resolver = context.getBean(CaptchaTokenResolver.class);
				MockHttpServletRequest request = new MockHttpServletRequest("POST", "/");
				request.addHeader("X-Human", "abc");
				ResolvedToken resolved = resolver.resolve(request);
				assertThat(resolved.token()).isEqualTo("abc");
				MockHttpServletRequest form = new MockHttpServletRequest("POST", "/");
				form.setContentType("application/x-www-form-urlencoded");
				form.addParameter("g-recaptcha-response", "ignored");
				form.addParameter("human", "xyz");
				assertThat(resolver.resolve(form).token()).isEqualTo("xyz");
			});
	}

	@Test
	void enabledFalseThenNothingIsConfigured() {
		this.contextRunner.withPropertyValues(RECAPTCHA).withPropertyValues("captcha.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(CaptchaVerificationService.class);
			assertThat(context).doesNotHaveBean("captchaVerificationFilterRegistration");
			assertThat(context).doesNotHaveBean(CaptchaProperties.class);
		});
	}

	@Test
	void nonWebApplicationThenEngineButNoFilter() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class))
			.withPropertyValues(RECAPTCHA)
			.run((context) -> {
				assertThat(context).hasSingleBean(CaptchaVerificationService.class);
				assertThat(context).doesNotHaveBean("captchaVerificationFilterRegistration");
				assertThat(context).doesNotHaveBean(CaptchaTokenResolver.class);
			});
	}

	@Test
	void springMvcMissingThenNoAnnotationResolverButFilterStillRegistered() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RequestMappingHandlerMapping.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RequireCaptchaRuleResolver.class);
				assertThat(context).hasBean("captchaVerificationFilterRegistration");
			});
	}

	@Test
	void springMvcPresentThenAnnotationResolverRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RequireCaptchaRuleResolver.class));
	}

	@Test
	void userBeansThenAutoConfigurationBacksOff() {
		this.contextRunner.withPropertyValues(RECAPTCHA).withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(ReplayCache.class);
			assertThat(context.getBean(ReplayCache.class)).isSameAs(context.getBean("myReplayCache"));
			assertThat(context.getBean(CaptchaHttpClient.class)).isSameAs(context.getBean("myHttpClient"));
			assertThat(context.getBean(CaptchaTokenResolver.class)).isSameAs(context.getBean("myTokenResolver"));
			assertThat(context.getBean(CaptchaFailureHandler.class)).isSameAs(context.getBean("myFailureHandler"));
			assertThat(context.getBean(PathPatternCaptchaRuleResolver.class)).isSameAs(context.getBean("myRoutes"));
			assertThat(context.getBean(RequireCaptchaRuleResolver.class))
				.isSameAs(context.getBean("myAnnotationResolver"));
			assertThat(context.getBean("captchaVerificationFilterRegistration"))
				.isSameAs(context.getBean(UserBeans.class).registration);
		});
	}

	@Test
	void userVerificationServiceThenAutoConfigurationBacksOff() {
		this.contextRunner.withUserConfiguration(UserService.class).run((context) -> {
			assertThat(context).hasSingleBean(CaptchaVerificationService.class);
			assertThat(context.getBean(CaptchaVerificationService.class).providerNames()).containsExactly("mine");
		});
	}

	@Test
	void startupWhenTypeUnknownThenFailureNamesProperty() {
		assertFailure("captcha.providers.google.type", "captcha.providers.google.type=recaptcha-v9",
				"captcha.providers.google.secret=x");
	}

	@Test
	void startupWhenTypeMissingThenFailureNamesProperty() {
		assertFailure("captcha.providers.google.type", "captcha.providers.google.secret=x");
	}

	@Test
	void startupWhenSecretMissingThenFailureNamesProperty() {
		assertFailure("captcha.providers.google.secret", "captcha.providers.google.type=recaptcha");
	}

	@Test
	void startupWhenSecretBlankThenFailureNamesProperty() {
		assertFailure("captcha.providers.google.secret", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret= ");
	}

	@Test
	void startupWhenDefaultProviderUnknownThenFailureNamesProperty() {
		assertFailure("captcha.default-provider", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.default-provider=hcaptcha");
	}

	@Test
	void startupWhenSeveralProvidersAndNoDefaultThenFailureNamesProperty() {
		assertFailure("captcha.default-provider", "captcha.providers.a.type=recaptcha", "captcha.providers.a.secret=x",
				"captcha.providers.b.type=recaptcha", "captcha.providers.b.secret=y");
	}

	@Test
	void startupWhenMinScoreOutOfRangeThenFailureNamesProperty() {
		assertFailure("captcha.providers.google.min-score", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.providers.google.min-score=1.5");
	}

	@Test
	void startupWhenVerifyUrlPlainHttpToRemoteHostThenFailureNamesProperty() {
		assertFailure("captcha.providers.google.verify-url", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x",
				"captcha.providers.google.verify-url=http://www.google.com/recaptcha/api/siteverify");
	}

	@Test
	void startupWhenVerifyUrlNotAUrlThenFailureNamesProperty() {
		assertFailure("captcha.providers.google.verify-url", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.providers.google.verify-url=not a url");
	}

	@Test
	void startupWhenVerifyUrlPlainHttpToLoopbackThenAccepted() {
		this.contextRunner.withPropertyValues(RECAPTCHA)
			.withPropertyValues("captcha.providers.google.verify-url=http://127.0.0.1:9/siteverify")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupWhenRouteProviderUnknownThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].provider", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.routes[0].path=/a", "captcha.routes[0].provider=nope");
	}

	@Test
	void startupWhenRouteUsesImplicitBuiltinWithoutSiteKeysThenFailureNamesProperty() {
		assertFailure("captcha.builtin.site-keys", "captcha.routes[0].path=/a");
	}

	@Test
	void builtinWhenConfiguredThenSettingsApplied() {
		this.contextRunner
			.withPropertyValues("captcha.providers.local.type=builtin",
					"captcha.builtin.site-keys=demo," + "sha256:" + "ab".repeat(32),
					"captcha.builtin.signing-key=" + "q5hQ2m2C2wS7mZK4xSxq6yQ2oYt0cC4qJ8bB1vG9n3E=",
					"captcha.builtin.token-ttl=3m", "captcha.builtin.challenge-ttl=1m",
					"captcha.builtin.limits.generate-per-hour=7", "captcha.builtin.limits.validate-per-hour=9",
					"captcha.builtin.bind-ip=true", "captcha.builtin.image.length=6", "captcha.builtin.image.width=200",
					"captcha.builtin.image.height=80", "captcha.builtin.pow.max-number=5000",
					"captcha.builtin.base-path=/human", "captcha.routes[0].path=/a")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				BuiltinSettings settings = context.getBean(BuiltinCaptchaService.class).settings();
				assertThat(settings.siteKeys()).containsExactlyInAnyOrder("demo", "sha256:" + "ab".repeat(32));
				assertThat(settings.tokenTtl()).isEqualTo(Duration.ofMinutes(3));
				assertThat(settings.challengeTtl()).isEqualTo(Duration.ofMinutes(1));
				assertThat(settings.generatePerHour()).isEqualTo(7);
				assertThat(settings.validatePerHour()).isEqualTo(9);
				assertThat(settings.bindIp()).isTrue();
				assertThat(settings.imageLength()).isEqualTo(6);
				assertThat(settings.imageWidth()).isEqualTo(200);
				assertThat(settings.imageHeight()).isEqualTo(80);
				assertThat(settings.powMaxNumber()).isEqualTo(5000);
				FilterRegistrationBean<?> endpoints = context.getBean("builtinCaptchaEndpointRegistration",
						FilterRegistrationBean.class);
				assertThat(endpoints.getUrlPatterns()).containsExactly("/human/*");
				assertThat(context.getBean(CaptchaVerificationService.class).provider("local").maxTokenAge())
					.isEqualTo(Duration.ofMinutes(3));
			});
	}

	@Test
	void builtinWhenOnlyHostedProvidersThenEndpointsNotRegistered() {
		this.contextRunner.withPropertyValues(RECAPTCHA)
			.run((context) -> assertThat(
					context.getBean("builtinCaptchaEndpointRegistration", FilterRegistrationBean.class).isEnabled())
				.isFalse());
	}

	@Test
	void startupWhenBuiltinProviderWithoutSiteKeysThenFailureNamesProperty() {
		assertFailure("captcha.builtin.site-keys", "captcha.providers.local.type=builtin");
	}

	@Test
	void startupWhenSigningKeyNotBase64ThenFailureNamesPropertyWithoutEchoingIt() {
		this.contextRunner.withPropertyValues("captcha.builtin.signing-key=not*base64!secret")
			.run((context) -> assertThat(rootCause(context.getStartupFailure()))
				.hasMessageContaining("captcha.builtin.signing-key")
				.hasMessageNotContaining("not*base64!secret"));
	}

	@Test
	void startupWhenSigningKeyShorterThan256BitsThenFailureNamesProperty() {
		assertFailure("captcha.builtin.signing-key", "captcha.builtin.signing-key=" + "A".repeat(40));
	}

	@Test
	void startupWhenSiteKeyDigestMalformedThenFailureNamesProperty() {
		assertFailure("captcha.builtin.site-keys[1]", "captcha.builtin.site-keys=ok,sha256:xyz");
	}

	@Test
	void startupWhenBuiltinProviderHasHostnamesThenFailureNamesProperty() {
		assertFailure("captcha.providers.local.hostnames", "captcha.providers.local.type=builtin",
				"captcha.builtin.site-keys=k", "captcha.providers.local.hostnames=example.com");
	}

	@Test
	void startupWhenBuiltinProviderHasMinScoreThenFailureNamesProperty() {
		assertFailure("captcha.providers.local.min-score", "captcha.providers.local.type=builtin",
				"captcha.builtin.site-keys=k", "captcha.providers.local.min-score=0.5");
	}

	@Test
	void startupWhenBasePathInvalidThenFailureNamesProperty() {
		assertFailure("captcha.builtin.base-path", "captcha.builtin.base-path=captcha");
	}

	@Test
	void startupWhenPowMaxNumberOutOfRangeThenFailureNamesProperty() {
		assertFailure("captcha.builtin.pow.max-number", "captcha.builtin.pow.max-number=10");
	}

	@Test
	void startupWhenImageLengthOutOfRangeThenFailureNamesProperty() {
		assertFailure("captcha.builtin.image.length", "captcha.builtin.image.length=2");
	}

	@Test
	void startupWhenRoutePathInvalidThenFailureNamesProperty() {
		assertFailure("captcha.routes[1].path", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.routes[0].path=/ok", "captcha.routes[1].path=/a/{b");
	}

	@Test
	void startupWhenRoutePathMissingThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].path", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.routes[0].action=contact");
	}

	@Test
	void startupWhenRouteMethodInvalidThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].methods", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.routes[0].path=/a", "captcha.routes[0].methods=P OST");
	}

	// gh-9: a typo in a method started cleanly and left the route unprotected (POST was
	// never matched)
	@Test
	void startupWhenRouteMethodMisspeltThenFailureNamesPropertyInsteadOfAnUnprotectedRoute() {
		assertFailure("captcha.routes[1].methods", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.routes[0].path=/a", "captcha.routes[0].methods=POST",
				"captcha.routes[1].path=/api/contact", "captcha.routes[1].methods=PSOT");
	}

	@Test
	void startupWhenRouteMethodsInAnyCaseThenAccepted() {
		this.contextRunner
			.withPropertyValues("captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=x",
					"captcha.routes[0].path=/api/contact", "captcha.routes[0].methods=post, Patch")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PathPatternCaptchaRuleResolver resolver = context.getBean(PathPatternCaptchaRuleResolver.class);
				assertThat(resolver.resolve(new MockHttpServletRequest("POST", "/api/contact"))).isNotNull();
				assertThat(resolver.resolve(new MockHttpServletRequest("PATCH", "/api/contact"))).isNotNull();
				assertThat(resolver.resolve(new MockHttpServletRequest("GET", "/api/contact"))).isNull();
			});
	}

	@Test
	void startupWhenRouteMinScoreOutOfRangeThenFailureNamesProperty() {
		assertFailure("captcha.routes[0].min-score", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=x", "captcha.routes[0].path=/a", "captcha.routes[0].min-score=-0.1");
	}

	@Test
	void startupWhenTimeoutNotPositiveThenFailureNamesProperty() {
		assertFailure("captcha.http.response-timeout", "captcha.http.response-timeout=0s");
	}

	@Test
	void startupWhenMaxBodyZeroThenFailureNamesProperty() {
		assertFailure("captcha.token.max-body", "captcha.token.max-body=0B");
	}

	@Test
	void startupWhenMaxLengthZeroThenFailureNamesProperty() {
		assertFailure("captcha.token.max-length", "captcha.token.max-length=0");
	}

	@Test
	void startupWhenReplayMaxEntriesZeroThenFailureNamesProperty() {
		assertFailure("captcha.replay.max-entries", "captcha.replay.max-entries=0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1" })
	void startupWhenMaxConcurrentVerificationsBelowOneThenFailureNamesProperty(String value) {
		assertFailure("captcha.http.max-concurrent-verifications",
				"captcha.http.max-concurrent-verifications=" + value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "captcha.http.verification-wait", "captcha.http.busy-answer-delay" })
	void startupWhenBulkheadWaitNegativeThenFailureNamesProperty(String property) {
		assertFailure(property, property + "=-1ms");
	}

	@Test
	void startupWhenBulkheadWaitsZeroThenStarts() {
		this.contextRunner.withPropertyValues("captcha.http.verification-wait=0", "captcha.http.busy-answer-delay=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupWhenMaxConcurrentVerificationsOneThenStarts() {
		this.contextRunner.withPropertyValues("captcha.http.max-concurrent-verifications=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupWhenSecretInvalidThenSecretIsNotEchoed() {
		this.contextRunner
			.withPropertyValues("captcha.providers.google.type=nope", "captcha.providers.google.secret=s3cr3t-value")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.message()
				.doesNotContain("s3cr3t-value"));
	}

	@Test
	void autoConfigurationImportsThenEveryClassLoads() throws Exception {
		ClassPathResource imports = new ClassPathResource(
				"META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
		List<String> names = new String(imports.getInputStream().readAllBytes()).lines()
			.map(String::trim)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(names).containsExactly(CaptchaAutoConfiguration.class.getName(),
				"io.github.captchasecurity.store.redis.CaptchaRedisStoreAutoConfiguration");
		for (String name : names) {
			assertThat(Class.forName(name)).isNotNull();
		}
	}

	@Test
	void configurationMetadataThenDocumentsEveryProperty() throws Exception {
		Properties ignored = PropertiesLoaderUtils
			.loadProperties(new ClassPathResource("META-INF/spring-autoconfigure-metadata.properties"));
		assertThat(ignored).isNotEmpty();
		String metadata = new String(
				new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream().readAllBytes());
		assertThat(metadata).contains("\"captcha.enabled\"", "\"captcha.default-provider\"", "\"captcha.providers\"",
				"\"captcha.routes\"", "\"captcha.token.header\"", "\"captcha.token.json-field\"",
				"\"captcha.token.form-fields\"", "\"captcha.token.max-length\"", "\"captcha.token.max-body\"",
				"\"captcha.replay.max-entries\"", "\"captcha.http.connect-timeout\"",
				"\"captcha.http.response-timeout\"", "\"captcha.http.max-connections\"",
				"\"captcha.http.max-concurrent-verifications\"", "\"captcha.http.verification-wait\"",
				"\"captcha.http.busy-answer-delay\"", "\"captcha.builtin.base-path\"", "\"captcha.builtin.site-keys\"",
				"\"captcha.builtin.signing-key\"", "\"captcha.builtin.challenge-ttl\"", "\"captcha.builtin.token-ttl\"",
				"\"captcha.builtin.limits.generate-per-hour\"", "\"captcha.builtin.limits.validate-per-hour\"",
				"\"captcha.builtin.bind-ip\"", "\"captcha.builtin.image.length\"", "\"captcha.builtin.image.width\"",
				"\"captcha.builtin.image.height\"", "\"captcha.builtin.pow.max-number\"");
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

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final FilterRegistrationBean<CaptchaVerificationFilter> registration = new FilterRegistrationBean<>();

		@Bean
		ReplayCache myReplayCache() {
			return new CaffeineReplayCache(10);
		}

		@Bean
		CaptchaHttpClient myHttpClient() {
			return CaptchaHttpClient.create(HttpClientSettings.ofDefaults());
		}

		@Bean
		CaptchaTokenResolver myTokenResolver() {
			return (request) -> new ResolvedToken(request, "fixed");
		}

		@Bean
		CaptchaFailureHandler myFailureHandler() {
			return (request, response, exception) -> response.setStatus(418);
		}

		@Bean
		PathPatternCaptchaRuleResolver myRoutes() {
			return PathPatternCaptchaRuleResolver.builder().build();
		}

		@Bean
		RequireCaptchaRuleResolver myAnnotationResolver() {
			return new RequireCaptchaRuleResolver(List.of(), Set.of(), false);
		}

		@Bean
		FilterRegistrationBean<CaptchaVerificationFilter> captchaVerificationFilterRegistration() {
			return this.registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserService {

		@Bean
		CaptchaVerificationService myService() {
			return CaptchaVerificationService.builder()
				.replayCache(new CaffeineReplayCache(10))
				.provider(new ProviderPolicy("mine",
						(request) -> VerificationResult.of(VerificationOutcome.PASSED, "mine"), Set.of(), null,
						Duration.ofMinutes(2), Duration.ofMinutes(2), 4096))
				.build();
		}

	}

}
