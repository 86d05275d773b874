package io.github.captchasecurity.test;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.autoconfigure.CaptchaVerifierOverride;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.github.captchasecurity.test.CaptchaRequestPostProcessors.captcha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link AutoConfigureCaptchaTest} swaps hosted providers configured without secrets,
 * keeps their names and form fields, and the request post-processor puts the token where
 * the application reads it (header, form field, JSON member) with the application's own
 * names.
 */
@SpringBootTest(properties = { "captcha.providers.google.type=recaptcha", "captcha.providers.hcaptcha.type=hcaptcha",
		"captcha.default-provider=google", "captcha.token.header=X-Shop-Captcha", "captcha.token.json-field=human" })
@AutoConfigureMockMvc
@AutoConfigureCaptchaTest
class AutoConfigureCaptchaTestTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	CaptchaVerificationService service;

	@Autowired
	CaptchaVerifierOverride override;

	@Test
	void everyProviderIsVerifiedByTheTestProviderUnderItsOwnName() {
		assertThat(this.service.providerNames()).containsExactlyInAnyOrder("google", "hcaptcha");
		assertThat(this.service.provider("google").verifier()).isInstanceOf(CaptchaTestProvider.class);
		assertThat(this.service.provider("hcaptcha").formField()).isEqualTo("h-captcha-response");
	}

	@Test
	void tokenGoesInTheConfiguredHeaderJsonMemberOrTheProvidersFormField() throws Exception {
		this.mvc.perform(post("/order").with(captcha())).andExpect(status().isOk());
		this.mvc.perform(post("/order").contentType(MediaType.APPLICATION_JSON).content("{\"a\":1}").with(captcha()))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/order").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.param("a", "1")
				.with(captcha().provider("hcaptcha")))
			.andExpect(status().isOk());
		this.mvc.perform(post("/order").header("X-Captcha-Token", CaptchaTestTokens.fresh()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("captcha_missing"));
	}

	@SpringBootApplication
	@RestController
	static class App {

		@PostMapping("/order")
		@RequireCaptcha(action = "order")
		String order() {
			return "ok";
		}

	}

}
