package com.example.shop;

import io.github.captchasecurity.test.AutoConfigureCaptchaTest;
import io.github.captchasecurity.test.CaptchaTestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.client.RestTestClient;

import static io.github.captchasecurity.test.CaptchaRequestPostProcessors.captcha;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit with Spring Framework 7's AssertJ {@link MockMvcTester} and
 * {@link RestTestClient}.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureCaptchaTest
class ShopAssertJAndRestTestClientTests {

	@Autowired
	MockMvcTester tester;

	@Autowired
	MockMvc mvc;

	@Test
	void mockMvcTesterTakesThePostProcessor() {
		assertThat(this.tester.post()
			.uri("/api/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"item\":\"tea\"}")
			.with(captcha("pass:order"))).hasStatusOk().bodyJson().extractingPath("$.ordered").isEqualTo("tea");
		assertThat(this.tester.post().uri("/api/newsletter").with(captcha("fail"))).hasStatus(403)
			.bodyJson()
			.extractingPath("$.code")
			.isEqualTo("captcha_invalid");
	}

	@Test
	void restTestClientTakesTheHeader() {
		RestTestClient client = RestTestClient.bindTo(this.mvc).build();
		client.post()
			.uri("/api/newsletter")
			.headers(CaptchaTestTokens.header("pass:newsletter"))
			.exchange()
			.expectStatus()
			.isOk();
		client.post()
			.uri("/api/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"item\":\"tea\",\"captchaToken\":\"" + CaptchaTestTokens.fresh("pass::0.2") + "\"}")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("captcha_low_score");
	}

}
