package io.github.captchasecurity.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text of {@link CaptchaPropertyFailureAnalyzer} for real start-up failures: each
 * scenario starts the auto-configuration with a YAML file of the test resources (so that
 * Boot's origin tracking knows line and column) and analyzes the failure as Spring Boot
 * would.
 */
class CaptchaPropertyFailureAnalyzerTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class));

	@Test
	void unknownProviderInARouteThenOriginAndConfiguredNamesAreReported() {
		FailureAnalysis analysis = analyze("unknown-provider.yml");
		assertThat(analysis.getDescription()).contains("'captcha.routes[0].provider'")
			.contains("class path resource [failure-analyzer/unknown-provider.yml] - 11:17")
			.contains("'gogle'")
			.contains("is not a provider under captcha.providers");
		assertThat(analysis.getAction()).contains("one of the configured provider names: [google, local]")
			.contains("unknown-provider.yml] - 11:17");
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("real-looking-secret");
	}

	@Test
	void badMethodThenTheHttpMethodsAreListed() {
		FailureAnalysis analysis = analyze("bad-methods.yml");
		assertThat(analysis.getDescription()).contains("'captcha.routes[0].methods'")
			.contains("bad-methods.yml] - 4:23")
			.contains("'PSOT'")
			.contains("is not an HTTP method");
		assertThat(analysis.getAction()).contains("methods: [POST]").contains("PATCH").contains("DELETE");
	}

	@Test
	void badSigningKeyThenTheCommandIsGivenAndTheKeyNeverShown() {
		FailureAnalysis analysis = analyze("bad-signing-key.yml");
		assertThat(analysis.getDescription()).contains("'captcha.builtin.signing-key'")
			.contains("bad-signing-key.yml] - 4:18")
			.contains("its value is not shown")
			.contains("must be base64");
		assertThat(analysis.getAction()).contains("openssl rand -base64 32").contains("${CAPTCHA_SIGNING_KEY}");
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("secret*signing");
	}

	@Test
	void officialTestSecretUnderAProductionProfileThenTheActionAsksForTheRealSecret() {
		FailureAnalysis analysis = analyze("test-secret-in-prod.yml");
		assertThat(analysis.getDescription()).contains("'captcha.providers.google.secret'")
			.contains("test-secret-in-prod.yml] - 8:15")
			.contains("official test secret")
			.contains("'prod'");
		assertThat(analysis.getAction()).contains("real secret").contains("captcha.test-keys.allowed");
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("6LeIxAcTAAAAAGG");
	}

	@Test
	void otherApplicationsPropertiesAreLeftToSpringBoot() {
		assertThat(new CaptchaPropertyFailureAnalyzer(null)
			.analyze(new InvalidConfigurationPropertyValueException("spring.data.redis.port", "x", "is wrong")))
			.isNull();
	}

	private FailureAnalysis analyze(String file) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		ConfigurableEnvironment[] environment = new ConfigurableEnvironment[1];
		this.contextRunner.withInitializer((context) -> {
			environment[0] = context.getEnvironment();
			load(environment[0], file);
		}).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new CaptchaPropertyFailureAnalyzer(environment[0]).analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).as("analysis of " + file).isNotNull();
		return analysis[0];
	}

	private static void load(ConfigurableEnvironment environment, String file) {
		try {
			for (PropertySource<?> source : new YamlPropertySourceLoader().load(file,
					new ClassPathResource("failure-analyzer/" + file))) {
				environment.getPropertySources().addFirst(source);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
