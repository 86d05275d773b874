package com.example.shop;

import io.github.captchasecurity.test.AutoConfigureCaptchaTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.captchasecurity.test.CaptchaRequestPostProcessors.captcha;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The kit in a {@code @WebMvcTest} slice: the annotation brings the CAPTCHA
 * auto-configuration (its filter enforces the routes and {@code @RequireCaptcha}), the
 * slice brings the controller.
 */
@WebMvcTest(ShopController.class)
@AutoConfigureCaptchaTest
class ShopWebMvcSliceTests {

	@Autowired
	MockMvc mvc;

	@Test
	void requireCaptchaAndRoutesWorkInTheSlice() throws Exception {
		this.mvc.perform(
				post("/api/orders").contentType(MediaType.APPLICATION_JSON).content("{}").with(captcha("pass:order")))
			.andExpect(status().isOk());
		this.mvc.perform(post("/api/newsletter"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("captcha_missing"));
	}

}
