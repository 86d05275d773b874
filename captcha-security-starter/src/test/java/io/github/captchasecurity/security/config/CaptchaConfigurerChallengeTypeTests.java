package io.github.captchasecurity.security.config;

import io.github.captchasecurity.CaptchaDecisionCustomizer;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CommonBeans;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.controllerCalls;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.mockMvc;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.problem;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.solve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Challenge types through the {@link CaptchaConfigurer} DSL:
 * {@code requireOn(...).challengeTypes(...)} and the escalation's
 * {@code escalateChallengeTypes(...)} refuse a pass token of a type a bot chose, with
 * real built-in pass tokens, and fail start-up for routes without a built-in provider.
 */
class CaptchaConfigurerChallengeTypeTests {

	private static final String[] TWO_BUILTINS = { "captcha.default-provider=local",
			"captcha.providers.strong.type=builtin" };

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner();

	@Test
	void requireOnWithChallengeTypesWhenBotSolvedMathThen403ChallengeTypeMismatch() {
		this.runner.withUserConfiguration(ImageOnlyConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/contact").header("X-Captcha-Token", passToken(context, "math", null, "127.0.0.1")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_challenge_type_mismatch"));
			mvc.perform(post("/api/contact").header("X-Captcha-Token", passToken(context, "pow", null, "127.0.0.1")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_challenge_type_mismatch"));
			assertThat(controllerCalls(context)).isZero();

			mvc.perform(post("/api/contact").header("X-Captcha-Token", passToken(context, "image", null, "127.0.0.1")))
				.andExpect(status().isOk());
		});
	}

	@Test
	void requireOnWithoutChallengeTypesWhenMathThenPassesAsBefore() {
		this.runner.withUserConfiguration(ImageOnlyConfig.class)
			.run((context) -> mockMvc(context)
				.perform(post("/api/routed").header("X-Captcha-Token", passToken(context, "math", null, "127.0.0.1")))
				.andExpect(status().isOk()));
	}

	@Test
	void escalationWhenRetryIsMathOrPowThenRefusedAndTheAskedGridPasses() {
		this.runner.withUserConfiguration(EscalateToGridConfig.class)
			.withPropertyValues(TWO_BUILTINS)
			.withBean(CaptchaDecisionCustomizer.class, () -> (rule, result, context) -> true)
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				JsonNode challenge = problem(mvc
					.perform(post("/api/pay").header("X-Captcha-Token", passToken(context, "pow", null, "127.0.0.1")))
					.andExpect(status().isForbidden())
					.andReturn()).get("challenge");
				assertThat(challenge.get("provider").stringValue()).isEqualTo("strong");
				assertThat(challenge.get("type").stringValue()).isEqualTo("grid");
				assertThat(challenge.get("challenge_types").get(0).stringValue()).isEqualTo("grid");

				for (String weak : new String[] { "math", "pow", "image" }) {
					mvc.perform(post("/api/pay").header("X-Captcha-Token", passToken(context, weak, null, "127.0.0.1"))
						.header("X-Captcha-Provider", "strong"))
						.andExpect(status().isForbidden())
						.andExpect(jsonPath("$.code").value("captcha_challenge_type_mismatch"));
				}
				assertThat(controllerCalls(context)).isZero();

				String grid = solve(context, challenge.get("generated").get("captcha_id").stringValue(), "127.0.0.1");
				mvc.perform(post("/api/pay").header("X-Captcha-Token", grid).header("X-Captcha-Provider", "strong"))
					.andExpect(status().isOk())
					.andExpect(jsonPath("$.provider").value("strong"));
			});
	}

	@Test
	void startupWhenChallengeTypesOnAHostedOnlyRouteThenFails() {
		this.runner.withUserConfiguration(HostedWithChallengeTypesConfig.class)
			.withPropertyValues("captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=x",
					"captcha.default-provider=local")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("challengeTypes")
				.hasMessageContaining("needs a provider of type builtin"));
	}

	@Test
	void startupWhenChallengeTypeUnknownThenFails() {
		this.runner.withUserConfiguration(UnknownTypeConfig.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("challengeTypes")
				.hasMessageContaining("'audio'"));
	}

	private static HttpSecurity open(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class ImageOnlyConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return open(http)
				.with(captcha(),
						(captcha) -> captcha.requireOn("/api/contact")
							.provider("local")
							.challengeTypes("image", "grid")
							.and()
							.requireOn("/api/routed")
							.provider("local"))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class EscalateToGridConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return open(http)
				.with(captcha(),
						(captcha) -> captcha.requireOn("/api/pay")
							.provider("local")
							.challengeTypes("pow")
							.escalate(null, "strong")
							.escalateChallengeTypes("grid"))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class HostedWithChallengeTypesConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return open(http)
				.with(captcha(), (captcha) -> captcha.requireOn("/api/pay").provider("google").challengeTypes("image"))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class UnknownTypeConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return open(http)
				.with(captcha(), (captcha) -> captcha.requireOn("/api/pay").provider("local").challengeTypes("audio"))
				.build();
		}

	}

}
