package io.github.captchasecurity.autoconfigure;

import java.nio.charset.StandardCharsets;

import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.PowComplexity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up checks of the ALTCHA interop properties:
 * {@code captcha.builtin.altcha.hmac-key}, {@code captcha.builtin.cors.allowed-origins}
 * and {@code captcha.builtin.pow.*}.
 */
class AltchaPropertiesTests {

	private static final String[] BUILTIN = { "captcha.providers.local.type=builtin",
			"captcha.builtin.site-keys=demo" };

	private static final String HMAC_KEY = "0123456789abcdef0123456789abcdef";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class));

	@Test
	void defaultsWhenNothingSetThenDerivedKeyAndSha256CostOne() {
		this.contextRunner.withPropertyValues(BUILTIN).run((context) -> {
			BuiltinCaptchaService service = context.getBean(BuiltinCaptchaService.class);
			assertThat(service.settings().hasAltchaHmacKey()).isFalse();
			assertThat(service.settings().powAlgorithm()).isEqualTo("SHA-256");
			assertThat(service.settings().powCost()).isEqualTo(1);
			assertThat(service.settings().powComplexity()).isEmpty();
		});
	}

	@Test
	void powAndHmacKeyWhenSetThenApplied() {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues("captcha.builtin.altcha.hmac-key=" + HMAC_KEY,
					"captcha.builtin.pow.algorithm=pbkdf2/sha-256", "captcha.builtin.pow.cost=50",
					"captcha.builtin.pow.complexity[0].action=login",
					"captcha.builtin.pow.complexity[0].max-number=500000",
					"captcha.builtin.pow.complexity[1].site-key=demo", "captcha.builtin.pow.complexity[1].cost=9",
					"captcha.builtin.cors.allowed-origins=https://Shop.example:8443")
			.run((context) -> {
				BuiltinCaptchaService service = context.getBean(BuiltinCaptchaService.class);
				assertThat(service.settings().hasAltchaHmacKey()).isTrue();
				assertThat(service.settings().powAlgorithm()).isEqualTo("PBKDF2/SHA-256");
				assertThat(service.settings().powCost()).isEqualTo(50);
				assertThat(service.settings().powComplexity()).containsExactly(
						new PowComplexity(null, "login", 500_000, 50), new PowComplexity("demo", null, 100_000, 9));
			});
	}

	@Test
	void hmacKeyWhenTooShortThenStartupFailsWithoutEchoingIt() {
		String shortKey = "short-secret-value";
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues("captcha.builtin.altcha.hmac-key=" + shortKey)
			.run((context) -> {
				Throwable root = rootCause(context.getStartupFailure());
				assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
				assertThat(((InvalidConfigurationPropertyValueException) root).getName())
					.isEqualTo("captcha.builtin.altcha.hmac-key");
				assertThat(root.getMessage()).doesNotContain(shortKey).contains("at least 32 characters");
			});
	}

	@Test
	void hmacKeyIsASecretForTheFailureAnalyzer() {
		assertThat(CaptchaPropertyFailureAnalyzer.isSecret("captcha.builtin.altcha.hmac-key")).isTrue();
		assertThat(HMAC_KEY.getBytes(StandardCharsets.UTF_8)).hasSize(32);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://shop.example/", "shop.example", "null", "*,https://shop.example",
			"https://shop.example/path" })
	void allowedOriginsWhenNotOriginsThenStartupFailsNamingTheProperty(String origins) {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues("captcha.builtin.cors.allowed-origins=" + origins)
			.run((context) -> {
				Throwable root = rootCause(context.getStartupFailure());
				assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
				assertThat(((InvalidConfigurationPropertyValueException) root).getName())
					.startsWith("captcha.builtin.cors.allowed-origins");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "captcha.builtin.pow.algorithm=SCRYPT", "captcha.builtin.pow.cost=0",
			"captcha.builtin.pow.cost=100001", "captcha.builtin.pow.complexity[0].max-number=50",
			"captcha.builtin.pow.complexity[0].action=login;x" })
	void powWhenOutOfRangeThenStartupFails(String property) {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues("captcha.builtin.pow.complexity[0].site-key=demo", property)
			.run((context) -> assertThat(rootCause(context.getStartupFailure()))
				.isInstanceOf(InvalidConfigurationPropertyValueException.class));
	}

	@Test
	void complexityWhenNeitherSiteKeyNorActionThenStartupFails() {
		this.contextRunner.withPropertyValues(BUILTIN)
			.withPropertyValues("captcha.builtin.pow.complexity[0].max-number=5000")
			.run((context) -> assertThat(
					((InvalidConfigurationPropertyValueException) rootCause(context.getStartupFailure())).getName())
				.isEqualTo("captcha.builtin.pow.complexity[0]"));
	}

	@Test
	void configurationMetadataDocumentsTheAltchaProperties() throws Exception {
		String metadata = new String(
				new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream().readAllBytes(),
				StandardCharsets.UTF_8);
		assertThat(metadata).contains("\"captcha.builtin.altcha.hmac-key\"", "\"captcha.builtin.cors.allowed-origins\"",
				"\"captcha.builtin.pow.algorithm\"", "\"captcha.builtin.pow.cost\"",
				"\"captcha.builtin.pow.complexity\"");
	}

	private static Throwable rootCause(Throwable failure) {
		assertThat(failure).isNotNull();
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root;
	}

}
