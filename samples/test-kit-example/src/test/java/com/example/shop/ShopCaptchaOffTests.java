package com.example.shop;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code captcha.enabled=false} switches CAPTCHA off in tests that are not about it: the
 * Security configurer stays in the chain as a no-op, routes and {@code @RequireCaptcha}
 * are not enforced, and the login form works without a token.
 */
@SpringBootTest(properties = "captcha.enabled=false")
@AutoConfigureMockMvc
class ShopCaptchaOffTests {

	@Autowired
	MockMvc mvc;

	@Test
	void protectedEndpointsWorkWithoutToken() throws Exception {
		this.mvc.perform(post("/api/orders").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isOk());
		this.mvc.perform(post("/api/newsletter")).andExpect(status().isOk());
	}

	@Test
	void loginWorksWithoutToken() throws Exception {
		this.mvc
			.perform(post("/login").with(csrf())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("username", "alice")
				.param("password", "wonderland"))
			.andExpect(redirectedUrl("/account"))
			.andExpect(authenticated().withUsername("alice"));
	}

}
