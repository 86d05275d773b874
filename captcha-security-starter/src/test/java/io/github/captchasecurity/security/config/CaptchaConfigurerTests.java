package io.github.captchasecurity.security.config;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.captchasecurity.CaptchaDecisionCustomizer;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.event.CaptchaEscalatedEvent;
import io.github.captchasecurity.event.CaptchaEvent;
import io.github.captchasecurity.event.CaptchaRateLimitedEvent;
import io.github.captchasecurity.event.CaptchaRejectedEvent;
import io.github.captchasecurity.event.CaptchaVerifiedEvent;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CaptchaEventCollector;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CommonBeans;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CountingVerificationListener;
import io.github.captchasecurity.security.web.CaptchaAuthenticationException;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import io.github.captchasecurity.web.CaptchaFilterSwitch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.controllerCalls;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.from;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.mockMvc;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.problem;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.solve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The {@link CaptchaConfigurer} DSL, one {@code @EnableWebSecurity} configuration per
 * scenario, driven by MockMvc through the standalone filter registration and the Spring
 * Security filter chain, with real built-in pass tokens and a reCAPTCHA v3 siteverify
 * stub on 127.0.0.1.
 */
class CaptchaConfigurerTests {

	private static final WireMockServer recaptcha = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	static {
		recaptcha.start();
	}

	private static final String[] GOOGLE = { "captcha.default-provider=local",
			"captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=test-secret",
			"captcha.providers.google.verify-url=" + recaptcha.baseUrl() + "/siteverify" };

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner();

	@AfterAll
	static void stopRecaptcha() {
		recaptcha.stop();
	}

	@BeforeEach
	void resetRecaptcha() {
		recaptcha.resetAll();
	}

	// form login

	@Test
	void loginWhenCaptchaAlwaysRequiredAndNoTokenThenRedirectsToCaptchaErrorUnauthenticated() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> mockMvc(context).perform(login("alice", "wonderland"))
				.andExpect(status().isFound())
				.andExpect(redirectedUrl("/login?error"))
				.andExpect(unauthenticated())
				.andExpect(request().sessionAttribute(WebAttributes.AUTHENTICATION_EXCEPTION,
						instanceOf(CaptchaAuthenticationException.class))));
	}

	@Test
	void loginWhenCaptchaFailsThenExceptionTellsTheOutcome() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> {
				MvcResult result = mockMvc(context).perform(login("alice", "wonderland")).andReturn();
				CaptchaAuthenticationException exception = (CaptchaAuthenticationException) result.getRequest()
					.getSession()
					.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
				assertThat(exception.getOutcome()).isEqualTo(VerificationOutcome.MISSING);
				assertThat(exception.getMessage()).isEqualTo(VerificationOutcome.MISSING.title());
			});
	}

	@Test
	void loginWhenJsonClientAndNoTokenThenProblemDetail() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> {
				MvcResult result = mockMvc(context)
					.perform(login("alice", "wonderland").accept(MediaType.APPLICATION_JSON))
					.andExpect(status().isBadRequest())
					.andExpect(unauthenticated())
					.andReturn();
				JsonNode problem = problem(result);
				assertThat(problem.get("code").stringValue()).isEqualTo("captcha_missing");
				assertThat(problem.get("status").intValue()).isEqualTo(400);
				assertThat(problem.get("instance").stringValue()).isEqualTo("/login");
			});
	}

	@Test
	void loginWhenValidTokenThenAuthenticated() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> mockMvc(context)
				.perform(login("alice", "wonderland").param("captcha-token", passToken(context, "login", "127.0.0.1")))
				.andExpect(redirectedUrl("/"))
				.andExpect(authenticated().withUsername("alice")));
	}

	@Test
	void loginWhenValidTokenInHeaderThenAuthenticated() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> mockMvc(context)
				.perform(login("alice", "wonderland").header("X-Captcha-Token",
						passToken(context, "login", "127.0.0.1")))
				.andExpect(redirectedUrl("/"))
				.andExpect(authenticated().withUsername("alice")));
	}

	@Test
	void loginWhenTokenForAnotherActionThenRefused() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				mvc.perform(
						login("alice", "wonderland").param("captcha-token", passToken(context, "contact", "127.0.0.1")))
					.andExpect(redirectedUrl("/login?error"))
					.andExpect(unauthenticated());
				mvc.perform(
						login("alice", "wonderland").param("captcha-token", passToken(context, "contact", "127.0.0.1"))
							.accept(MediaType.APPLICATION_JSON))
					.andExpect(status().isForbidden())
					.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
			});
	}

	@Test
	void loginWhenTokenReplayedThenRefused() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				String token = passToken(context, "login", "127.0.0.1");
				mvc.perform(login("alice", "wonderland").param("captcha-token", token))
					.andExpect(authenticated().withUsername("alice"));
				mvc.perform(
						login("alice", "wonderland").param("captcha-token", token).accept(MediaType.APPLICATION_JSON))
					.andExpect(status().isForbidden())
					.andExpect(jsonPath("$.code").value("captcha_replayed"))
					.andExpect(unauthenticated());
			});
	}

	@Test
	void loginWhenValidTokenAndWrongPasswordThenOrdinaryLoginError() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> mockMvc(context)
				.perform(login("alice", "nope").param("captcha-token", passToken(context, "login", "127.0.0.1")))
				.andExpect(redirectedUrl("/login?error"))
				.andExpect(unauthenticated()));
	}

	@Test
	void loginPageWhenCaptchaAlwaysRequiredThenStillServedWithoutToken() {
		this.runner.withUserConfiguration(FormLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> mockMvc(context).perform(get("/login")).andExpect(status().isOk()));
	}

	@Test
	void loginWhenCustomUrlParameterActionAndFailureHandlerThenUsed() {
		this.runner.withUserConfiguration(CustomLoginConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				mvc.perform(post("/signin").param("user", "alice")
					.param("password", "wonderland")
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.with(csrf())).andExpect(redirectedUrl("/signin-page?captcha-failed")).andExpect(unauthenticated());
				mvc.perform(post("/signin").param("user", "alice")
					.param("password", "wonderland")
					.param("captcha-token", passToken(context, "login", "127.0.0.1"))
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.with(csrf())).andExpect(redirectedUrl("/signin-page?captcha-failed"));
				mvc.perform(post("/signin").param("user", "alice")
					.param("password", "wonderland")
					.param("captcha-token", passToken(context, "signin", "127.0.0.1"))
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.with(csrf())).andExpect(authenticated().withUsername("alice"));
				// gh-9: the chain keeps its parameter; the shared bean is not changed
				// (another chain would overwrite it)
				assertThat(context.getBean(CaptchaLoginAttempts.class).getUsernameParameter()).isEqualTo("username");
				// /login is no longer the login route
				mvc.perform(login("alice", "wonderland")).andExpect(status().isNotFound()).andExpect(unauthenticated());
			});
	}

	@Test
	void loginWhenLoginCaptchaOffThenNoTokenNeeded() {
		this.runner.withUserConfiguration(LoginCaptchaOffConfig.class)
			.withPropertyValues("captcha.login.failures-before-captcha=0")
			.run((context) -> mockMvc(context).perform(login("alice", "wonderland"))
				.andExpect(authenticated().withUsername("alice")));
	}

	// no double verification; captcha.routes and @RequireCaptcha inside the security
	// filter chain

	@Test
	void configureThenStandaloneFilterStepsAside() {
		this.runner.withUserConfiguration(DoubleProtectedConfig.class).withPropertyValues(ROUTES).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CaptchaFilterSwitch.class).isStandalone()).isFalse();
		});
		this.runner.withUserConfiguration(NoCaptchaConfig.class)
			.withPropertyValues(ROUTES)
			.run((context) -> assertThat(context.getBean(CaptchaFilterSwitch.class).isStandalone()).isTrue());
	}

	@Test
	void routeInPropertiesAndRequireOnWhenValidTokenThenVerifiedExactlyOnce() {
		this.runner.withUserConfiguration(DoubleProtectedConfig.class).withPropertyValues(ROUTES).run((context) -> {
			MockMvc mvc = mockMvc(context);
			String token = passToken(context, "both", "127.0.0.1");
			mvc.perform(post("/api/both").header("X-Captcha-Token", token))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.provider").value("local"));
			assertThat(verifications(context)).hasSize(1);
			assertThat(controllerCalls(context)).isEqualTo(1);
			mvc.perform(post("/api/both").header("X-Captcha-Token", token))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_replayed"));
			assertThat(verifications(context)).hasSize(2);
			assertThat(controllerCalls(context)).isEqualTo(1);
		});
	}

	@Test
	void routeInPropertiesAndRequireOnThenJavaRuleApplies() {
		this.runner.withUserConfiguration(DoubleProtectedConfig.class).withPropertyValues(ROUTES).run((context) -> {
			mockMvc(context)
				.perform(post("/api/both").header("X-Captcha-Token", passToken(context, "routes", "127.0.0.1")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
			assertThat(verifications(context)).hasSize(1);
			assertThat(controllerCalls(context)).isZero();
		});
	}

	@Test
	void propertiesRouteWhenConfigurerUsedThenEnforcedBySecurityFilterChain() {
		this.runner.withUserConfiguration(DoubleProtectedConfig.class).withPropertyValues(ROUTES).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/routed"))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith("application/problem+json"))
				.andExpect(jsonPath("$.code").value("captcha_missing"));
			assertThat(controllerCalls(context)).isZero();
			mvc.perform(post("/api/routed").header("X-Captcha-Token", passToken(context, "routed", "127.0.0.1")))
				.andExpect(status().isOk());
			assertThat(verifications(context)).hasSize(2);
			assertThat(controllerCalls(context)).isEqualTo(1);
		});
	}

	@Test
	void annotatedHandlerWhenConfigurerUsedThenEnforcedBySecurityFilterChain() {
		this.runner.withUserConfiguration(DoubleProtectedConfig.class).withPropertyValues(ROUTES).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/annotated"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.code").value("captcha_missing"));
			mvc.perform(post("/api/annotated").header("X-Captcha-Token", passToken(context, "other", "127.0.0.1")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
			assertThat(controllerCalls(context)).isZero();
			mvc.perform(post("/api/annotated").header("X-Captcha-Token", passToken(context, "annotated", "127.0.0.1")))
				.andExpect(status().isOk());
			assertThat(verifications(context)).hasSize(3);
			assertThat(controllerCalls(context)).isEqualTo(1);
		});
	}

	@Test
	void unprotectedRouteWhenConfigurerUsedThenNotVerified() {
		this.runner.withUserConfiguration(DoubleProtectedConfig.class).withPropertyValues(ROUTES).run((context) -> {
			mockMvc(context).perform(post("/api/open")).andExpect(status().isOk());
			assertThat(verifications(context)).isEmpty();
		});
	}

	@Test
	void propertiesRouteWhenNoConfigurerThenStandaloneFilterVerifiesOnce() {
		this.runner.withUserConfiguration(NoCaptchaConfig.class).withPropertyValues(ROUTES).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/routed")).andExpect(status().isBadRequest());
			mvc.perform(post("/api/routed").header("X-Captcha-Token", passToken(context, "routed", "127.0.0.1")))
				.andExpect(status().isOk());
			assertThat(verifications(context)).hasSize(2);
		});
	}

	@Test
	void propertiesRouteWhenServedByAnotherFilterChainThenStillVerified() {
		this.runner.withUserConfiguration(LoginChainOnlyConfig.class).withPropertyValues(ROUTES).run((context) -> {
			mockMvc(context).perform(post("/api/routed"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.code").value("captcha_missing"));
			assertThat(controllerCalls(context)).isZero();
		});
	}

	// escalation band, the retry, decision customizers, events

	@Test
	void escalationBandWhenScoreBetweenMinimumAndBandThenChallengeDescribed() {
		this.runner.withUserConfiguration(EscalationConfig.class).withPropertyValues(GOOGLE).run((context) -> {
			MvcResult result = mockMvc(context).perform(post("/api/pay").header("X-Captcha-Token", scored(0.5)))
				.andExpect(status().isForbidden())
				.andExpect(header().string("Cache-Control", "no-store"))
				.andReturn();
			JsonNode problem = problem(result);
			assertThat(problem.get("code").stringValue()).isEqualTo("captcha_escalation_required");
			JsonNode challenge = problem.get("challenge");
			assertThat(challenge.get("provider").stringValue()).isEqualTo("local");
			assertThat(challenge.get("type").stringValue()).isEqualTo("grid");
			assertThat(challenge.get("reason").stringValue()).isEqualTo("score");
			assertThat(challenge.get("site_key").stringValue()).isEqualTo("demo");
			assertThat(challenge.get("generate_url").stringValue()).isEqualTo("/captcha/generate");
			assertThat(challenge.get("form_field").stringValue()).isEqualTo("captcha-token");
			assertThat(challenge.get("provider_header").stringValue()).isEqualTo("X-Captcha-Provider");
			JsonNode generated = challenge.get("generated");
			assertThat(generated.get("captcha_id").stringValue()).isNotBlank();
			assertThat(generated.get("type").stringValue()).isEqualTo("grid");
			assertThat(generated.get("image").stringValue()).isNotBlank();
			assertThat(generated.get("label").stringValue()).isNotBlank();
			assertThat(controllerCalls(context)).isZero();
		});
	}

	@Test
	void escalationBandWhenScoreAboveBandThenPasses() {
		this.runner.withUserConfiguration(EscalationConfig.class).withPropertyValues(GOOGLE).run((context) -> {
			mockMvc(context).perform(post("/api/pay").header("X-Captcha-Token", scored(0.9)))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.provider").value("google"))
				.andExpect(jsonPath("$.score").value(0.9));
			recaptcha.verify(1,
					postRequestedFor(urlEqualTo("/siteverify")).withRequestBody(containing("remoteip=127.0.0.1")));
		});
	}

	@Test
	void escalationBandWhenScoreBelowMinimumThenLowScoreWithoutChallenge() {
		this.runner.withUserConfiguration(EscalationConfig.class).withPropertyValues(GOOGLE).run((context) -> {
			JsonNode problem = problem(mockMvc(context).perform(post("/api/pay").header("X-Captcha-Token", scored(0.1)))
				.andExpect(status().isForbidden())
				.andReturn());
			assertThat(problem.get("code").stringValue()).isEqualTo("captcha_low_score");
			assertThat(problem.has("challenge")).isFalse();
		});
	}

	@Test
	void escalationWhenRetryWithSolvedGeneratedChallengeInHeaderThenPasses() {
		this.runner.withUserConfiguration(EscalationConfig.class).withPropertyValues(GOOGLE).run((context) -> {
			MockMvc mvc = mockMvc(context);
			JsonNode challenge = problem(mvc.perform(post("/api/pay").header("X-Captcha-Token", scored(0.5)))
				.andExpect(status().isForbidden())
				.andReturn()).get("challenge");
			String stronger = solve(context, challenge.get("generated").get("captcha_id").stringValue(), "127.0.0.1");
			assertThat(stronger).isNotNull();
			mvc.perform(post("/api/pay").header("X-Captcha-Token", stronger).header("X-Captcha-Provider", "local"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.provider").value("local"));
			assertThat(controllerCalls(context)).isEqualTo(1);
		});
	}

	@Test
	void escalationWhenRetryWithTokenInFormFieldThenPasses() {
		this.runner.withUserConfiguration(EscalationConfig.class).withPropertyValues(GOOGLE).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/pay").header("X-Captcha-Token", scored(0.5))).andExpect(status().isForbidden());
			mvc.perform(post("/api/pay").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("amount", "10")
				.param("captcha-token", passToken(context, "grid", "pay", "127.0.0.1")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.provider").value("local"));
		});
	}

	@Test
	void escalationWhenRetryTokenForAnotherActionThenActionMismatch() {
		this.runner.withUserConfiguration(EscalationConfig.class)
			.withPropertyValues(GOOGLE)
			.run((context) -> mockMvc(context)
				.perform(post("/api/pay").header("X-Captcha-Token", passToken(context, "grid", "other", "127.0.0.1"))
					.header("X-Captcha-Provider", "local"))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_action_mismatch")));
	}

	@Test
	void decisionCustomizerWhenItAsksThenHighScoreEscalatedButStrongerTokenPasses() {
		this.runner.withUserConfiguration(EscalationConfig.class)
			.withPropertyValues(GOOGLE)
			.withBean(CaptchaDecisionCustomizer.class, () -> (rule, result, context) -> true)
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				JsonNode problem = problem(mvc.perform(post("/api/pay").header("X-Captcha-Token", scored(0.9)))
					.andExpect(status().isForbidden())
					.andReturn());
				assertThat(problem.get("code").stringValue()).isEqualTo("captcha_escalation_required");
				assertThat(problem.get("challenge").get("reason").stringValue()).isEqualTo("policy");
				mvc.perform(post("/api/pay").header("X-Captcha-Token", passToken(context, "grid", "pay", "127.0.0.1"))
					.header("X-Captcha-Provider", "local")).andExpect(status().isOk());
			});
	}

	@Test
	void decisionCustomizerThenToldTheRequest() {
		List<String> seen = new CopyOnWriteArrayList<>();
		this.runner.withUserConfiguration(EscalationConfig.class)
			.withPropertyValues(GOOGLE)
			.withBean(CaptchaDecisionCustomizer.class, () -> (rule, result, context) -> {
				seen.add(rule.action() + " " + result.provider() + " " + result.score() + " " + context.clientIp());
				return false;
			})
			.run((context) -> {
				mockMvc(context)
					.perform(post("/api/pay").header("X-Captcha-Token", scored(0.9)).with(from("203.0.113.9")))
					.andExpect(status().isOk());
				assertThat(seen).containsExactly("pay google 0.9 203.0.113.9");
			});
	}

	@Test
	void eventsThenPublishedForEachDecisionWithoutTheToken() {
		this.runner.withUserConfiguration(EscalationConfig.class)
			.withPropertyValues(GOOGLE)
			// the escalation counts as a failure (gh-8): escalation, low score and forged
			// token reach 3
			.withPropertyValues("captcha.abuse.step-up-after=0", "captcha.abuse.block-after=3")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				String high = scored(0.9);
				String band = scored(0.5);
				String low = scored(0.1);
				String forged = "forged-" + UUID.randomUUID();
				String blocked = scored(0.9);
				mvc.perform(post("/api/pay").header("X-Captcha-Token", high)).andExpect(status().isOk());
				mvc.perform(post("/api/pay").header("X-Captcha-Token", band)).andExpect(status().isForbidden());
				mvc.perform(post("/api/pay").header("X-Captcha-Token", low)).andExpect(status().isForbidden());
				mvc.perform(post("/api/pay").header("X-Captcha-Token", forged).header("X-Captcha-Provider", "local"))
					.andExpect(status().isForbidden())
					.andExpect(jsonPath("$.code").value("captcha_invalid"));
				mvc.perform(post("/api/pay").header("X-Captcha-Token", blocked))
					.andExpect(status().isTooManyRequests());
				List<CaptchaEvent> events = context.getBean(CaptchaEventCollector.class).events;
				assertThat(events).extracting((event) -> (Object) event.getClass())
					.containsExactly(CaptchaVerifiedEvent.class, CaptchaEscalatedEvent.class,
							CaptchaRejectedEvent.class, CaptchaRejectedEvent.class, CaptchaRateLimitedEvent.class);
				assertThat(events).extracting((event) -> event.getResult().outcome())
					.containsExactly(VerificationOutcome.PASSED, VerificationOutcome.ESCALATION_REQUIRED,
							VerificationOutcome.LOW_SCORE, VerificationOutcome.INVALID,
							VerificationOutcome.RATE_LIMITED);
				assertThat(events).allSatisfy((event) -> {
					assertThat(event.getRule().action()).isEqualTo("pay");
					assertThat(event.getContext().clientIp()).isEqualTo("127.0.0.1");
					for (String token : List.of(high, band, low, forged, blocked)) {
						assertThat(event.toString()).doesNotContain(token);
						assertThat(event.getResult().toString()).doesNotContain(token);
						assertThat(event.getContext().toString()).doesNotContain(token);
						assertThat(event.getSource().toString()).doesNotContain(token);
					}
				});
				assertThat(events.get(0).getResult().score()).isEqualTo(0.9);
				assertThat(events.get(1).getResult().challenge()).containsEntry("reason", "score");
				assertThat(events.get(4).getResult().retryAfter()).isPositive();
			});
	}

	// step-up after failures, 429

	@Test
	void stepUpWhenFailuresReachThresholdThenValidPrimaryTokenEscalated() {
		this.runner.withUserConfiguration(EscalationConfig.class)
			.withPropertyValues(GOOGLE)
			.withPropertyValues(ABUSE)
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				String client = "203.0.113.9";
				mvc.perform(post("/api/pay").with(from(client))).andExpect(status().isBadRequest());
				mvc.perform(post("/api/pay").with(from(client)).header("X-Captcha-Token", scored(0.9)))
					.andExpect(status().isOk());
				mvc.perform(post("/api/pay").with(from(client)).header("X-Captcha-Token", scored(0.1)))
					.andExpect(status().isForbidden())
					.andExpect(jsonPath("$.code").value("captcha_low_score"));
				JsonNode problem = problem(
						mvc.perform(post("/api/pay").with(from(client)).header("X-Captcha-Token", scored(0.9)))
							.andExpect(status().isForbidden())
							.andReturn());
				assertThat(problem.get("code").stringValue()).isEqualTo("captcha_escalation_required");
				assertThat(problem.get("challenge").get("reason").stringValue()).isEqualTo("step-up");
				assertThat(problem.get("challenge").get("provider").stringValue()).isEqualTo("local");
				// the stronger provider still passes
				mvc.perform(post("/api/pay").with(from(client))
					.header("X-Captcha-Token", passToken(context, "grid", "pay", client))
					.header("X-Captcha-Provider", "local")).andExpect(status().isOk());
				// another client is not affected
				mvc.perform(post("/api/pay").with(from("203.0.113.10")).header("X-Captcha-Token", scored(0.9)))
					.andExpect(status().isOk());
			});
	}

	@Test
	void blockWhenFailuresReachThresholdThen429WithRetryAfter() {
		this.runner.withUserConfiguration(EscalationConfig.class)
			.withPropertyValues(GOOGLE)
			.withPropertyValues(ABUSE)
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				String client = "203.0.113.9";
				for (int i = 0; i < 3; i++) {
					mvc.perform(post("/api/pay").with(from(client))).andExpect(status().isBadRequest());
				}
				mvc.perform(post("/api/pay").with(from(client))
					.header("X-Captcha-Token", "forged-" + UUID.randomUUID())
					.header("X-Captcha-Provider", "local")).andExpect(status().isForbidden());
				recaptcha.resetRequests();
				MvcResult result = mvc
					.perform(post("/api/pay").with(from(client)).header("X-Captcha-Token", scored(0.9)))
					.andExpect(status().isTooManyRequests())
					.andReturn();
				JsonNode problem = problem(result);
				assertThat(problem.get("code").stringValue()).isEqualTo("captcha_rate_limited");
				assertThat(problem.has("challenge")).isFalse();
				long retryAfter = Long.parseLong(result.getResponse().getHeader("Retry-After"));
				assertThat(retryAfter).isPositive().isLessThanOrEqualTo(900);
				recaptcha.verify(0, postRequestedFor(urlEqualTo("/siteverify")));
				// the stronger provider does not get around the block either
				mvc.perform(post("/api/pay").with(from(client))
					.header("X-Captcha-Token", passToken(context, "grid", "pay", client))
					.header("X-Captcha-Provider", "local"))
					.andExpect(status().isTooManyRequests())
					.andExpect(header().exists("Retry-After"));
				assertThat(controllerCalls(context)).isZero();
				// another client is not affected
				mvc.perform(post("/api/pay").with(from("203.0.113.10")).header("X-Captcha-Token", scored(0.9)))
					.andExpect(status().isOk());
			});
	}

	// gh-8: 50 escalations from one client in a minute were never rate limited
	@Test
	void blockWhenFiftyEscalationsFromOneClientThenCountedAsFailuresAndRateLimited() {
		this.runner.withUserConfiguration(EscalationConfig.class)
			.withPropertyValues(GOOGLE)
			.withPropertyValues("captcha.abuse.step-up-after=0", "captcha.abuse.block-after=10")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				for (int i = 0; i < 10; i++) {
					mvc.perform(post("/api/pay").header("X-Captcha-Token", scored(0.5)))
						.andExpect(status().isForbidden())
						.andExpect(jsonPath("$.challenge.reason").value("score"));
				}
				for (int i = 10; i < 50; i++) {
					mvc.perform(post("/api/pay").header("X-Captcha-Token", scored(0.5)))
						.andExpect(status().isTooManyRequests())
						.andExpect(jsonPath("$.code").value("captcha_rate_limited"));
				}
				mvc.perform(post("/api/pay").header("X-Captcha-Token", scored(0.9)))
					.andExpect(status().isTooManyRequests());
			});
	}

	// server-issued ticket

	@Test
	void serverChallengeWhenTokenBoundToThisClientAndActionThenPasses() {
		this.runner.withUserConfiguration(ServerChallengeConfig.class)
			.run((context) -> mockMvc(context)
				.perform(post("/api/transfer").with(from("198.51.100.7"))
					.header("X-Captcha-Token", passToken(context, "transfer", "198.51.100.7")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.provider").value("local")));
	}

	@Test
	void serverChallengeWhenTokenBoundToAnotherClientThenInvalid() {
		this.runner.withUserConfiguration(ServerChallengeConfig.class).run((context) -> {
			mockMvc(context)
				.perform(post("/api/transfer").with(from("198.51.100.8"))
					.header("X-Captcha-Token", passToken(context, "transfer", "198.51.100.7")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_invalid"));
			assertThat(controllerCalls(context)).isZero();
		});
	}

	@Test
	void serverChallengeWhenTokenIssuedForAnotherActionThenActionMismatch() {
		this.runner.withUserConfiguration(ServerChallengeConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/transfer").with(from("198.51.100.7"))
				.header("X-Captcha-Token", passToken(context, "other", "198.51.100.7")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
			mvc.perform(post("/api/transfer").with(from("198.51.100.7"))
				.header("X-Captcha-Token", passToken(context, null, "198.51.100.7")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
			assertThat(controllerCalls(context)).isZero();
		});
	}

	@Test
	void serverChallengeWhenOffThenTokenFromAnotherClientStillPasses() {
		this.runner.withUserConfiguration(ServerChallengeConfig.class)
			.run((context) -> mockMvc(context)
				.perform(post("/api/contact").with(from("198.51.100.8"))
					.header("X-Captcha-Token", passToken(context, "contact", "198.51.100.7")))
				.andExpect(status().isOk()));
	}

	// start-up validation

	@Test
	void requireOnWhenUnknownProviderThenStartupFailsNamingIt() {
		this.runner.withUserConfiguration(UnknownProviderConfig.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("requireOn([/api/pay]).provider")
				.hasMessageContaining("'nope'"));
	}

	@Test
	void escalateWhenUnknownProviderThenStartupFailsNamingIt() {
		this.runner.withUserConfiguration(UnknownEscalationProviderConfig.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("escalateTo")
				.hasMessageContaining("'nope'"));
	}

	@Test
	void loginProviderWhenUnknownThenStartupFailsNamingIt() {
		this.runner.withUserConfiguration(UnknownLoginProviderConfig.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("loginProvider")
				.hasMessageContaining("'nope'"));
	}

	@Test
	void serverChallengeWhenProviderCannotTellTheClientThenStartupFails() {
		this.runner.withUserConfiguration(RecaptchaServerChallengeConfig.class)
			.withPropertyValues(GOOGLE)
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("serverChallenge"));
	}

	@Test
	void serverChallengeWhenRecaptchaProviderThenTokensNotBoundToTheClientNeverPass() {
		// the configuration cannot start, so no unbound token can pass
		this.runner.withUserConfiguration(RecaptchaServerChallengeConfig.class)
			.withPropertyValues(GOOGLE)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("serverChallenge() needs providers of type builtin")
				.hasMessageContaining("'google'"));
	}

	@Test
	void serverChallengeWhenEscalationProviderCannotTellTheClientThenStartupFails() {
		this.runner.withUserConfiguration(ServerChallengeEscalatingToRecaptchaConfig.class)
			.withPropertyValues(GOOGLE)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("serverChallenge() needs providers of type builtin")
				.hasMessageContaining("'google'"));
	}

	private static final String[] ROUTES = { "captcha.routes[0].path=/api/both", "captcha.routes[0].action=routes",
			"captcha.routes[1].path=/api/routed", "captcha.routes[1].action=routed" };

	private static final String[] ABUSE = { "captcha.abuse.step-up-after=2", "captcha.abuse.block-after=4",
			"captcha.abuse.window=15m" };

	private static MockHttpServletRequestBuilder login(String username, String password) {
		return post("/login").param("username", username)
			.param("password", password)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.with(csrf());
	}

	private static List<?> verifications(AssertableWebApplicationContext context) {
		return context.getBean(CountingVerificationListener.class).results;
	}

	/** A reCAPTCHA v3 token for the action pay that the stub scores. */
	private static String scored(double score) {
		return scored(score, "pay");
	}

	/** A reCAPTCHA v3 token for an action that the stub scores. */
	private static String scored(double score, String action) {
		String token = "tok-" + UUID.randomUUID();
		recaptcha.stubFor(WireMock.post("/siteverify")
			.withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"success\":true,\"score\":" + score + ",\"action\":\"" + action
						+ "\",\"hostname\":\"example.com\",\"challenge_ts\":\"" + Instant.now() + "\"}")));
		return token;
	}

	private static HttpSecurity apiDefaults(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/api/**", "/login", "/signin-page")
				.permitAll()
				.anyRequest()
				.authenticated())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class FormLoginConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults()).with(captcha(), Customizer.withDefaults());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class CustomLoginConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(
					(login) -> login.loginPage("/signin-page").loginProcessingUrl("/signin").usernameParameter("user"))
				.with(captcha(), (captcha) -> captcha.loginProcessingUrl("/signin")
					.usernameParameter("user")
					.loginAction("signin")
					.loginFailureHandler(new SimpleUrlAuthenticationFailureHandler("/signin-page?captcha-failed")));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class LoginCaptchaOffConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults())
				.with(captcha(), (captcha) -> captcha.loginCaptcha(false));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class DoubleProtectedConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults())
				.with(captcha(), (captcha) -> captcha.requireOn("/api/both").methods("POST").action("both"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class LoginChainOnlyConfig {

		@Bean
		@Order(1)
		SecurityFilterChain loginFilterChain(HttpSecurity http) throws Exception {
			http.securityMatcher("/login", "/logout")
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.formLogin(Customizer.withDefaults())
				.with(captcha(), Customizer.withDefaults());
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain apiFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).csrf((csrf) -> csrf.disable());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class NoCaptchaConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class EscalationConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults())
				.with(captcha(),
						(captcha) -> captcha.requireOn("/api/pay")
							.methods("POST")
							.provider("google")
							.action("pay")
							.minScore(0.3)
							.escalate(0.7, "local"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class ServerChallengeConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults())
				.with(captcha(),
						(captcha) -> captcha.requireOn("/api/transfer")
							.provider("local")
							.action("transfer")
							.serverChallenge()
							.and()
							.requireOn("/api/contact")
							.provider("local")
							.action("contact"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class RecaptchaServerChallengeConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).with(captcha(),
					(captcha) -> captcha.requireOn("/api/transfer").provider("google").serverChallenge());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class ServerChallengeEscalatingToRecaptchaConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).with(captcha(),
					(captcha) -> captcha.requireOn("/api/transfer")
						.provider("local")
						.action("transfer")
						.serverChallenge()
						.escalate(null, "google"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class UnknownProviderConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).with(captcha(), (captcha) -> captcha.requireOn("/api/pay").provider("nope"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class UnknownEscalationProviderConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).with(captcha(), (captcha) -> captcha.requireOn("/api/pay").escalate(0.7, "nope"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class UnknownLoginProviderConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults())
				.with(captcha(), (captcha) -> captcha.loginProvider("nope"));
			return http.build();
		}

	}

}
