package io.github.captchasecurity.sample;

import java.util.Map;

import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import io.github.captchasecurity.test.AutoConfigureCaptchaTest;
import io.github.captchasecurity.test.CaptchaTestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
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
 * The sample's login page and the contact form's escalation, as shipped, with tokens of
 * the test kit ({@code @AutoConfigureCaptchaTest}) instead of solved built-in challenges:
 * the built-in round trip itself is {@link BuiltinRoundTripTests}' and the browser tests'
 * subject. Each test uses its own client IP, since failures are counted per IP.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureCaptchaTest
class LoginAndEscalationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	CaptchaLoginAttempts loginAttempts;

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
		String token = CaptchaTestTokens.fresh("pass:login");
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
		String token = CaptchaTestTokens.fresh("pass:contact");
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
		// the retry names the stronger provider, as the widget does after solving the
		// grid
		contact(from("192.0.2.40"), CaptchaTestTokens.fresh(), "strong").andExpect(status().isOk())
			.andExpect(jsonPath("$.received").value("hello"));
	}

	@Test
	void contactWhenTenFailuresThen429WithRetryAfter() throws Exception {
		for (int i = 0; i < 10; i++) {
			contact(from("192.0.2.50"), "forged-" + i, null);
		}
		contact(from("192.0.2.50"), CaptchaTestTokens.fresh("pass:contact"), null)
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.code").value("captcha_rate_limited"))
			.andExpect(MockMvcResultMatchers.header().exists("Retry-After"));
		contact(from("192.0.2.51"), CaptchaTestTokens.fresh("pass:contact"), null).andExpect(status().isOk());
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

	private static RequestPostProcessor from(String ip) {
		return (request) -> {
			request.setRemoteAddr(ip);
			return request;
		};
	}

}
