package com.example.shop;

import io.github.captchasecurity.test.AutoConfigureCaptchaTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.github.captchasecurity.test.CaptchaRequestPostProcessors.captcha;
import static io.github.captchasecurity.test.CaptchaRequestPostProcessors.captchaToken;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The shop tested as its developers would, through the test kit only: the real routes of
 * {@code application.yml}, {@code @RequireCaptcha} and the Security configurer, with
 * every provider (reCAPTCHA, whose secret the tests do not have, and the built-in one)
 * verified offline by the kit's test provider.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureCaptchaTest
class ShopCaptchaTests {

	@Autowired
	MockMvc mvc;

	@Test
	void orderWithAPassingTokenInTheJsonBodyIsAccepted() throws Exception {
		this.mvc.perform(order().with(captcha()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ordered").value("tea"));
	}

	@Test
	void orderWithTheTokenInTheHeaderIsAccepted() throws Exception {
		this.mvc.perform(order().with(captcha("pass:order:0.9").inHeader())).andExpect(status().isOk());
	}

	@Test
	void orderWithoutATokenIsRefused() throws Exception {
		this.mvc.perform(order())
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("captcha_missing"));
	}

	@Test
	void orderScoredBelowTheAnnotationsMinimumIsRefused() throws Exception {
		this.mvc.perform(order().with(captcha("pass::0.3")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_low_score"));
	}

	@Test
	void orderWithATokenOfAnotherActionIsRefused() throws Exception {
		this.mvc.perform(order().with(captcha("pass:login")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
	}

	@Test
	void rejectedTokensGetTheRealErrorCodes() throws Exception {
		this.mvc.perform(order().with(captcha("fail")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_invalid"));
		this.mvc.perform(order().with(captcha("expired")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_expired"));
		this.mvc.perform(order().with(captcha("unavailable")))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.code").value("captcha_provider_unavailable"));
	}

	@Test
	void theSameTokenTwiceIsAReplay() throws Exception {
		this.mvc.perform(order().with(captchaToken("pass#once"))).andExpect(status().isOk());
		this.mvc.perform(order().with(captchaToken("pass#once")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_replayed"));
	}

	@Test
	void newsletterRouteOfApplicationYmlChecksItsAction() throws Exception {
		this.mvc.perform(post("/api/newsletter").with(captcha())).andExpect(status().isOk());
		this.mvc.perform(post("/api/newsletter").with(captcha("pass:order")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
	}

	@Test
	void newsletterScoreInTheEscalationBandAsksForTheStrongChallengeWhoseTokenThenPasses() throws Exception {
		this.mvc.perform(post("/api/newsletter").with(captcha("pass::0.6")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_escalation_required"))
			.andExpect(jsonPath("$.challenge.provider").value("strong"));
		this.mvc.perform(post("/api/newsletter").with(captcha().provider("strong"))).andExpect(status().isOk());
	}

	@Test
	void quoteRouteFailsOpenWhenTheProviderIsDown() throws Exception {
		this.mvc.perform(post("/api/quote").with(captcha("unavailable"))).andExpect(status().isOk());
	}

	@Test
	void loginFormNeedsACaptchaThroughTheSecurityConfigurer() throws Exception {
		// Spring Security's default login page: a CAPTCHA failure ends on ?error
		this.mvc.perform(login()).andExpect(redirectedUrl("/login?error")).andExpect(unauthenticated());
		this.mvc.perform(login().with(captcha("fail")))
			.andExpect(redirectedUrl("/login?error"))
			.andExpect(unauthenticated());
		this.mvc.perform(login().with(captcha("pass:login")))
			.andExpect(redirectedUrl("/account"))
			.andExpect(authenticated().withUsername("alice"));
	}

	private static MockHttpServletRequestBuilder order() {
		return post("/api/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"tea\"}");
	}

	private static MockHttpServletRequestBuilder login() {
		return post("/login").with(csrf())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.param("username", "alice")
			.param("password", "wonderland");
	}

}
