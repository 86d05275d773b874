package io.github.captchasecurity.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * gh-9: an invalid secret was printed in clear text in Spring Boot's failure report. Each
 * scenario starts a real {@link SpringApplication} (failure analyzers and all) with the
 * secret on the command line, and looks for it in everything start-up printed and in
 * every message of the failure's cause chain.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretStartupFailureTests {

	@Test
	void signingKeyNotBase64ThenNeverEchoed(CapturedOutput output) {
		String key = "Kx9*secret*signing*key*not*base64*Q7";
		assertNeverEchoed(output, key, "captcha.builtin.signing-key", "--captcha.builtin.site-keys=demo",
				"--captcha.builtin.signing-key=" + key);
	}

	@Test
	void signingKeyTooShortThenNeverEchoed(CapturedOutput output) {
		String key = "c2hvcnRTZWNyZXQx";
		assertNeverEchoed(output, key, "captcha.builtin.signing-key", "--captcha.builtin.site-keys=demo",
				"--captcha.builtin.signing-key=" + key);
	}

	@Test
	void signingKeyEqualToAProviderSecretThenNeitherEchoed(CapturedOutput output) {
		String key = "Zm9vYmFyYmF6cXV4c2VjcmV0MTIzNDU2Nzg5MDEyMzQ1Njc4";
		assertNeverEchoed(output, key, "captcha.builtin.signing-key", "--captcha.builtin.site-keys=demo",
				"--captcha.builtin.signing-key=" + key, "--captcha.providers.local.type=builtin",
				"--captcha.providers.google.type=recaptcha", "--captcha.providers.google.secret=" + key,
				"--captcha.default-provider=local");
	}

	@Test
	void providerTestSecretRefusedThenNeverEchoed(CapturedOutput output) {
		String secret = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe";
		assertNeverEchoed(output, secret, "captcha.providers.google.secret",
				"--captcha.providers.google.type=recaptcha", "--captcha.providers.google.secret=" + secret,
				"--captcha.test-keys.allowed=false");
	}

	@Test
	void analyzerWhenAnySecretPropertyThenDescriptionNamesItWithoutTheValue() {
		CaptchaPropertyFailureAnalyzer analyzer = new CaptchaPropertyFailureAnalyzer(null);
		for (String property : List.of("captcha.builtin.signing-key", "captcha.providers.x.secret",
				"captcha.providers.x.api-key", "captcha.providers.x.app-secret")) {
			FailureAnalysis analysis = analyzer.analyze(new IllegalStateException(
					new InvalidConfigurationPropertyValueException(property, "top-secret-value", "is wrong")));
			assertThat(analysis).as(property).isNotNull();
			assertThat(analysis.getDescription()).contains(property).contains("is wrong").doesNotContain("top-secret");
			assertThat(analysis.getAction()).doesNotContain("top-secret");
		}
		// not a secret: reported with its value (the analyzer covers every captcha.*
		// property)
		assertThat(analyzer
			.analyze(new InvalidConfigurationPropertyValueException("captcha.routes[0].path", "/a{", "is wrong"))
			.getDescription()).contains("captcha.routes[0].path").contains("'/a{'");
		assertThat(analyzer.analyze(new InvalidConfigurationPropertyValueException("spring.x", "y", "is wrong")))
			.isNull();
	}

	private static void assertNeverEchoed(CapturedOutput output, String secret, String property, String... args) {
		SpringApplication application = new SpringApplication(Minimal.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Throwable failure = catchThrowable(() -> application.run(args).close());
		assertThat(failure).as("start-up failure").isNotNull();
		List<String> messages = new ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.add(String.valueOf(cause.getMessage()));
		}
		assertThat(String.join("\n", messages)).contains(property).doesNotContain(secret);
		assertThat(output.getAll()).contains(property).doesNotContain(secret);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(CaptchaAutoConfiguration.class)
	static class Minimal {

	}

}
