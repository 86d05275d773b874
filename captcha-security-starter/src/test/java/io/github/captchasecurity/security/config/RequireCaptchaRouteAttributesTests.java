package io.github.captchasecurity.security.config;

import java.time.Instant;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CommonBeans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.from;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.mockMvc;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * gh-9: {@code @RequireCaptcha} sets what a route sets (fail-open, escalation, server
 * challenge, escalation challenge types), through real requests with built-in pass tokens
 * and a reCAPTCHA v3 stub on 127.0.0.1, and is validated at start-up like
 * {@code captcha.routes}.
 */
class RequireCaptchaRouteAttributesTests {

	private static final WireMockServer recaptcha = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	static {
		recaptcha.start();
	}

	private static final String[] PROVIDERS = { "captcha.default-provider=local",
			"captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=test-secret",
			"captcha.providers.google.verify-url=" + recaptcha.baseUrl() + "/siteverify",
			"captcha.providers.down.type=recaptcha", "captcha.providers.down.secret=test-secret",
			"captcha.providers.down.verify-url=http://127.0.0.1:9/siteverify" };

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner().withPropertyValues(PROVIDERS);

	@AfterAll
	static void stopRecaptcha() {
		recaptcha.stop();
	}

	@Test
	void escalateBelowWhenScoreInTheBandThenStrongerChallengeRequired() {
		this.runner.withUserConfiguration(AnnotatedConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			JsonNode problem = problem(mvc.perform(post("/api/ann/pay").header("X-Captcha-Token", scored(0.5)))
				.andExpect(status().isForbidden())
				.andReturn());
			assertThat(problem.get("code").stringValue()).isEqualTo("captcha_escalation_required");
			assertThat(problem.get("challenge").get("provider").stringValue()).isEqualTo("local");
			assertThat(problem.get("challenge").get("type").stringValue()).isEqualTo("image");
			mvc.perform(post("/api/ann/pay").header("X-Captcha-Token", scored(0.9))).andExpect(status().isOk());
			mvc.perform(post("/api/ann/pay").header("X-Captcha-Token", scored(0.1)))
				.andExpect(jsonPath("$.code").value("captcha_low_score"));
			// the stronger provider's token passes
			mvc.perform(post("/api/ann/pay").header("X-Captcha-Token", passToken(context, "image", "pay", "127.0.0.1"))
				.header("X-Captcha-Provider", "local")).andExpect(status().isOk());
		});
	}

	@Test
	void serverChallengeWhenTokenIssuedForAnotherClientThenInvalid() {
		this.runner.withUserConfiguration(AnnotatedConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			String issuedTo = "198.51.100.7";
			mvc.perform(post("/api/ann/transfer").with(from("198.51.100.8"))
				.header("X-Captcha-Token", passToken(context, "transfer", issuedTo)))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_invalid"));
			mvc.perform(post("/api/ann/transfer").with(from(issuedTo))
				.header("X-Captcha-Token", passToken(context, "transfer", issuedTo))).andExpect(status().isOk());
			// without the attribute, the same token from another client passes, as before
			mvc.perform(post("/api/ann/contact").with(from("198.51.100.8"))
				.header("X-Captcha-Token", passToken(context, "transfer", issuedTo))).andExpect(status().isOk());
		});
	}

	@Test
	void failOpenWhenProviderUnreachableThenRequestPassesAndOtherwiseFailsClosed() {
		this.runner.withUserConfiguration(AnnotatedConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/ann/outage-open").header("X-Captcha-Token", "any-token")).andExpect(status().isOk());
			mvc.perform(post("/api/ann/outage-closed").header("X-Captcha-Token", "any-token"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(jsonPath("$.code").value("captcha_provider_unavailable"));
		});
	}

	@Test
	void startupWhenEscalateToUnknownProviderThenFailsNamingTheHandler() {
		this.runner.withUserConfiguration(UnknownEscalationConfig.class)
			.run((context) -> assertThat(root(context.getStartupFailure()))
				.hasMessageContaining("UnknownEscalation#submit")
				.hasMessageContaining("escalateTo 'nope'"));
	}

	@Test
	void startupWhenEscalateBelowWithoutEscalateToThenFails() {
		this.runner.withUserConfiguration(BandWithoutProviderConfig.class)
			.run((context) -> assertThat(root(context.getStartupFailure()))
				.hasMessageContaining("BandWithoutProvider#submit")
				.hasMessageContaining("needs escalateTo"));
	}

	@Test
	void startupWhenServerChallengeOnAHostedProviderThenFails() {
		this.runner.withUserConfiguration(HostedServerChallengeConfig.class)
			.run((context) -> assertThat(root(context.getStartupFailure()))
				.hasMessageContaining("HostedServerChallenge#submit")
				.hasMessageContaining("serverChallenge")
				.hasMessageContaining("'google'"));
	}

	private static Throwable root(Throwable failure) {
		assertThat(failure).as("start-up failure").isNotNull();
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** A reCAPTCHA v3 token for the action {@code pay} that the stub scores. */
	private static String scored(double score) {
		String token = "tok-" + UUID.randomUUID();
		recaptcha.stubFor(WireMock.post("/siteverify")
			.withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"success\":true,\"score\":" + score
						+ ",\"action\":\"pay\",\"hostname\":\"example.com\",\"challenge_ts\":\"" + Instant.now()
						+ "\"}")));
		return token;
	}

	private static SecurityFilterChain chain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"))
			.with(captcha(), Customizer.withDefaults());
		return http.build();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import({ CommonBeans.class, AnnotatedController.class })
	static class AnnotatedConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return chain(http);
		}

	}

	@RestController
	static class AnnotatedController {

		@PostMapping("/api/ann/pay")
		@RequireCaptcha(provider = "google", action = "pay", minScore = 0.3, escalateBelow = 0.7, escalateTo = "local",
				escalateChallengeTypes = "image")
		String pay() {
			return "paid";
		}

		@PostMapping("/api/ann/transfer")
		@RequireCaptcha(provider = "local", action = "transfer", serverChallenge = true)
		String transfer() {
			return "transferred";
		}

		@PostMapping("/api/ann/contact")
		@RequireCaptcha(provider = "local", action = "transfer")
		String contact() {
			return "sent";
		}

		@PostMapping("/api/ann/outage-open")
		@RequireCaptcha(provider = "down", failOpen = true)
		String outageOpen() {
			return "open";
		}

		@PostMapping("/api/ann/outage-closed")
		@RequireCaptcha(provider = "down")
		String outageClosed() {
			return "closed";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import({ CommonBeans.class, UnknownEscalation.class })
	static class UnknownEscalationConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return chain(http);
		}

	}

	@RestController
	static class UnknownEscalation {

		@PostMapping("/api/ann/submit")
		@RequireCaptcha(provider = "google", escalateTo = "nope")
		String submit() {
			return "ok";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import({ CommonBeans.class, BandWithoutProvider.class })
	static class BandWithoutProviderConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return chain(http);
		}

	}

	@RestController
	static class BandWithoutProvider {

		@PostMapping("/api/ann/submit")
		@RequireCaptcha(provider = "google", escalateBelow = 0.7)
		String submit() {
			return "ok";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import({ CommonBeans.class, HostedServerChallenge.class })
	static class HostedServerChallengeConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			return chain(http);
		}

	}

	@RestController
	static class HostedServerChallenge {

		@PostMapping("/api/ann/submit")
		@RequireCaptcha(provider = "google", serverChallenge = true)
		String submit() {
			return "ok";
		}

	}

}
