package io.github.captchasecurity.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.captchasecurity.CaptchaVerificationService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the start-up checks of {@link CaptchaStartupChecks}: test secrets in
 * production, signing keys that are someone else's secret or a published value, and a
 * forwarded-header strategy that believes every client.
 */
class CaptchaStartupChecksTests {

	private static final String RECAPTCHA_TEST_SECRET = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe";

	private static final String KEY = "q5hQ2m2C2wS7mZK4xSxq6yQ2oYt0cC4qJ8bB1vG9n3E=";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class));

	// --- C: official test secrets

	@Test
	void startWhenTestSecretWithoutProductionProfileThenStartsInTestMode() {
		this.contextRunner
			.withPropertyValues("captcha.providers.google.type=recaptcha",
					"captcha.providers.google.secret=" + RECAPTCHA_TEST_SECRET, "spring.profiles.active=dev")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(CaptchaVerificationService.class).provider("google").verifier().isTestMode())
					.isTrue();
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "prod", "PROD", "production", "prod-eu", "eu_prod", "dev,Production" })
	void startWhenTestSecretAndProductionProfileThenFailsNamingSecretProperty(String profiles) {
		this.contextRunner
			.withPropertyValues("captcha.providers.google.type=recaptcha",
					"captcha.providers.google.secret=" + RECAPTCHA_TEST_SECRET, "spring.profiles.active=" + profiles)
			.run((context) -> assertFailure(context, "captcha.providers.google.secret", RECAPTCHA_TEST_SECRET));
	}

	@ParameterizedTest
	@ValueSource(strings = { "preprod", "nonprod", "product", "dev", "staging" })
	void startWhenTestSecretAndProfileOnlyResemblesProductionThenStarts(String profile) {
		this.contextRunner
			.withPropertyValues("captcha.providers.google.type=recaptcha",
					"captcha.providers.google.secret=" + RECAPTCHA_TEST_SECRET, "spring.profiles.active=" + profile)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startWhenTestSecretAndTestKeysNotAllowedThenFails() {
		this.contextRunner
			.withPropertyValues("captcha.providers.turnstile.type=turnstile",
					"captcha.providers.turnstile.secret=1x0000000000000000000000000000000AA",
					"captcha.test-keys.allowed=false")
			.run((context) -> {
				assertFailure(context, "captcha.providers.turnstile.secret", "1x0000000000000000000000000000000AA");
				assertThat(rootCause(context.getStartupFailure())).hasMessageContaining("captcha.test-keys.allowed");
			});
	}

	@Test
	void startWhenRealSecretInProductionThenStarts() {
		this.contextRunner
			.withPropertyValues("captcha.providers.google.type=recaptcha",
					"captcha.providers.google.secret=our-real-secret", "spring.profiles.active=prod",
					"captcha.test-keys.allowed=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	// --- D: signing key hygiene

	@ParameterizedTest
	@ValueSource(strings = { "secret", "api-key", "app-secret" })
	void startWhenSigningKeyIsAProviderCredentialThenFailsWithoutPrintingIt(String property) {
		String type = switch (property) {
			case "secret" -> "hcaptcha";
			case "api-key" -> "friendly-captcha";
			default -> "captchala";
		};
		this.contextRunner
			.withPropertyValues("captcha.providers.hosted.type=" + type, "captcha.providers.hosted.app-key=our-app-key",
					"captcha.providers.hosted.app-secret=our-app-secret",
					"captcha.providers.hosted." + property + "=" + KEY, "captcha.builtin.signing-key=" + KEY,
					"captcha.providers.builtin.type=builtin", "captcha.builtin.site-keys=site",
					"captcha.default-provider=builtin")
			.run((context) -> {
				assertFailure(context, "captcha.builtin.signing-key", KEY);
				assertThat(rootCause(context.getStartupFailure()))
					.hasMessageContaining("captcha.providers.hosted." + property);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
			"//////////////////////////////////////////8=", RECAPTCHA_TEST_SECRET })
	void startWhenSigningKeyIsAPublishedValueThenFailsWithoutPrintingIt(String key) {
		this.contextRunner.withPropertyValues("captcha.builtin.signing-key=" + key)
			.run((context) -> assertFailure(context, "captcha.builtin.signing-key", key));
	}

	@Test
	void startWhenSigningKeyIsItsOwnThenStarts() {
		this.contextRunner
			.withPropertyValues("captcha.builtin.signing-key=" + KEY, "captcha.providers.google.type=recaptcha",
					"captcha.providers.google.secret=our-real-secret")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void readmeAndSampleShowNoLiteralSigningKeyMissingFromTheRefusedList() throws IOException {
		Path root = Path.of("").toAbsolutePath().getParent();
		List<Path> files = new ArrayList<>();
		files.add(root.resolve("README.md"));
		try (Stream<Path> sample = Files.walk(root.resolve("sample-app/src/main/resources"))) {
			sample.filter((path) -> path.toString().matches(".*\\.(ya?ml|properties)")).forEach(files::add);
		}
		Pattern assignment = Pattern.compile("signing-key[\"']?\\s*[:=]\\s*[\"']?([^\\s\"',}]+)");
		for (Path file : files) {
			Matcher matcher = assignment.matcher(Files.readString(file, StandardCharsets.UTF_8));
			while (matcher.find()) {
				String value = matcher.group(1);
				if (!value.startsWith("${")) {
					assertThat(CaptchaStartupChecks.EXAMPLE_SIGNING_KEYS).as("example key in %s", file).contains(value);
				}
			}
		}
		assertThat(files).hasSizeGreaterThan(1);
	}

	// --- B: forwarded-header strategy

	@Test
	void startWhenFrameworkStrategyWithoutTrustedProxiesThenFails() {
		this.contextRunner.withPropertyValues("server.forward-headers-strategy=framework").run((context) -> {
			assertThat(context).hasFailed();
			Throwable root = rootCause(context.getStartupFailure());
			assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("captcha.client-ip.trusted-proxies")
				.hasMessageContaining("captcha.client-ip.allow-forwarded-header-strategy");
			assertThat(((InvalidConfigurationPropertyValueException) root).getName())
				.isEqualTo("server.forward-headers-strategy");
		});
	}

	@Test
	void startWhenFrameworkStrategyAcceptedThenStarts() {
		this.contextRunner
			.withPropertyValues("server.forward-headers-strategy=FRAMEWORK",
					"captcha.client-ip.allow-forwarded-header-strategy=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest
	@ValueSource(strings = { "native", "none" })
	void startWhenOtherStrategyWithoutTrustedProxiesThenStarts(String strategy) {
		this.contextRunner.withPropertyValues("server.forward-headers-strategy=" + strategy)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startWhenFrameworkStrategyWithTrustedProxiesThenStarts() {
		this.contextRunner
			.withPropertyValues("server.forward-headers-strategy=framework",
					"captcha.client-ip.trusted-proxies=10.0.0.0/8")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static void assertFailure(AssertableWebApplicationContext context, String property, String secret) {
		assertThat(context).hasFailed();
		Throwable root = rootCause(context.getStartupFailure());
		assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
		assertThat(((InvalidConfigurationPropertyValueException) root).getName()).isEqualTo(property);
		Throwable failure = context.getStartupFailure();
		while (failure != null) {
			assertThat(failure.getMessage()).doesNotContain(secret);
			failure = failure.getCause();
		}
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
