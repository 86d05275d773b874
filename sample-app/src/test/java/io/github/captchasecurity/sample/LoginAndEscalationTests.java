package io.github.captchasecurity.sample;

import java.util.Map;

import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.GeneratedChallenge;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.atLeastOnce;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample's login page and the contact form's escalation, as shipped: each test uses
 * its own client IP, since failures are counted per IP.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LoginAndEscalationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	BuiltinCaptchaService builtin;

	@Autowired
	CaptchaLoginAttempts loginAttempts;

	@MockitoSpyBean
	ChallengeStore challengeStore;

	@Test
	void loginWhenRightPasswordAndNoFailuresThenLoggedInWithoutCaptcha() throws Exception {
		this.mvc.perform(get("/login").with(from("192.0.2.10")))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("captcha-widget"))));
		this.mvc
			.perform(post("/login").with(from("192.0.2.10"))
				.with(csrf())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("username", "alice")
				.param("password", "wonderland"))
			.andExpect(redirectedUrl("/account"))
			.andExpect(authenticated().withUsername("alice"));
	}

	@Test
	void loginWhenThreeFailuresThenPageShowsWidgetAndLoginNeedsCaptcha() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.mvc
				.perform(post("/login").with(from("192.0.2.20"))
					.with(csrf())
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.param("username", "alice")
					.param("password", "wrong"))
				.andExpect(redirectedUrl("/login?error"))
				.andExpect(unauthenticated());
		}
		assertThat(this.loginAttempts.isCaptchaRequired("192.0.2.20", "alice")).isTrue();
		this.mvc.perform(get("/login").with(from("192.0.2.20")))
			.andExpect(content().string(containsString("data-action=\"login\"")));
		// the right password alone is no longer enough
		this.mvc
			.perform(post("/login").with(from("192.0.2.20"))
				.with(csrf())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("username", "alice")
				.param("password", "wonderland"))
			.andExpect(redirectedUrl("/login?error&captcha"))
			.andExpect(unauthenticated());
		String token = solve("math", "login", "192.0.2.20");
		this.mvc
			.perform(post("/login").with(from("192.0.2.20"))
				.with(csrf())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("username", "alice")
				.param("password", "wonderland")
				.param("captcha-token", token))
			.andExpect(redirectedUrl("/account"))
			.andExpect(authenticated().withUsername("alice"));
	}

	@Test
	void loginWhenCaptchaFailsThenPageExplains() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.mvc.perform(post("/login").with(from("192.0.2.30"))
				.with(csrf())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("username", "bob")
				.param("password", "wrong"));
		}
		MvcResult failed = this.mvc
			.perform(post("/login").with(from("192.0.2.30"))
				.with(csrf())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("username", "bob")
				.param("password", "wrong")
				.param("captcha-token", "forged"))
			.andExpect(redirectedUrl("/login?error&captcha"))
			.andReturn();
		this.mvc
			.perform(get("/login?error&captcha").with(from("192.0.2.30"))
				.session((MockHttpSession) failed.getRequest().getSession()))
			.andExpect(content().string(containsString("CAPTCHA check failed")));
	}

	@Test
	void contactWhenThreeFailuresThenEscalatesToGridAndRetryWithGridTokenPasses() throws Exception {
		for (int i = 0; i < 3; i++) {
			contact(from("192.0.2.40"), "forged-" + i, null).andExpect(status().isForbidden());
		}
		String token = solve("math", "contact", "192.0.2.40");
		MvcResult escalated = contact(from("192.0.2.40"), token, null).andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_escalation_required"))
			.andExpect(jsonPath("$.challenge.provider").value("strong"))
			.andExpect(jsonPath("$.challenge.type").value("grid"))
			.andExpect(jsonPath("$.challenge.reason").value("step-up"))
			.andReturn();
		JsonNode generated = json.readTree(escalated.getResponse().getContentAsString())
			.get("challenge")
			.get("generated");
		assertThat(generated.get("type").stringValue()).isEqualTo("grid");
		String gridToken = this.builtin.validate("demo-site-key", generated.get("captcha_id").stringValue(),
				answerOf(generated.get("captcha_id").stringValue()), "192.0.2.40");
		contact(from("192.0.2.40"), gridToken, "strong").andExpect(status().isOk())
			.andExpect(jsonPath("$.received").value("hello"));
	}

	@Test
	void contactWhenTenFailuresThen429WithRetryAfter() throws Exception {
		for (int i = 0; i < 10; i++) {
			contact(from("192.0.2.50"), "forged-" + i, null);
		}
		contact(from("192.0.2.50"), solve("math", "contact", "192.0.2.50"), null)
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.code").value("captcha_rate_limited"))
			.andExpect(MockMvcResultMatchers.header().exists("Retry-After"));
		contact(from("192.0.2.51"), solve("math", "contact", "192.0.2.51"), null).andExpect(status().isOk());
	}

	private ResultActions contact(RequestPostProcessor client, String token, String provider) throws Exception {
		var request = post("/api/contact").with(client)
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("message", "hello", "captchaToken", token)));
		if (provider != null) {
			request.header("X-Captcha-Provider", provider);
		}
		return this.mvc.perform(request);
	}

	private String solve(String type, String action, String ip) {
		GeneratedChallenge challenge = this.builtin.generate("demo-site-key", type, null, action, ip);
		String token = this.builtin.validate("demo-site-key", challenge.captchaId(), answerOf(challenge.captchaId()),
				ip);
		assertThat(token).isNotNull();
		return token;
	}

	private String answerOf(String captchaId) {
		ArgumentCaptor<Challenge> saved = ArgumentCaptor.forClass(Challenge.class);
		then(this.challengeStore).should(atLeastOnce()).save(saved.capture(), any());
		return saved.getAllValues()
			.stream()
			.filter((challenge) -> challenge.id().equals(captchaId))
			.findFirst()
			.orElseThrow()
			.answer();
	}

	private static RequestPostProcessor from(String ip) {
		return (request) -> {
			request.setRemoteAddr(ip);
			return request;
		};
	}

}
