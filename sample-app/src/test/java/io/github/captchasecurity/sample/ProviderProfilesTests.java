package io.github.captchasecurity.sample;

import java.time.Instant;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample's provider profiles: each wires both protected routes and the pages to its
 * provider with the provider's official test keys. The provider's API is a stub on
 * 127.0.0.1 that answers as the provider documents for those keys.
 */
final class ProviderProfilesTests {

	static final WireMockServer provider = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	static {
		provider.start();
		provider
			.stubFor(post("/hcaptcha").withRequestBody(containing("secret=0x0000000000000000000000000000000000000000"))
				.withRequestBody(containing("response=10000000-aaaa-bbbb-cccc-000000000001"))
				.willReturn(json("{\"success\":true,\"challenge_ts\":\"" + Instant.now()
						+ "\",\"hostname\":\"dummy-key-pass\",\"credit\":false}")));
		provider.stubFor(post("/turnstile").withRequestBody(containing("secret=1x0000000000000000000000000000000AA"))
			.withRequestBody(containing("response=XXXX.DUMMY.TOKEN.XXXX"))
			.willReturn(json("{\"success\":true,\"error-codes\":[],\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"localhost\",\"action\":\"test\",\"cdata\":\"test-data\"}")));
		provider
			.stubFor(post("/recaptcha").withRequestBody(containing("secret=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"))
				.willReturn(json("{\"success\":true,\"challenge_ts\":\"" + Instant.now()
						+ "\",\"hostname\":\"testkey.google.com\"}")));
		provider.stubFor(post("/captchala").withHeader("X-App-Key", equalTo("replace-me"))
			.withRequestBody(matchingJsonPath("$.pass_token", equalTo("pt_sample")))
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true,\"action\":\"contact\"}}")));
	}

	private ProviderProfilesTests() {
	}

	@AfterAll
	static void stop() {
		provider.stop();
	}

	static ResponseDefinitionBuilder json(String body) {
		return aResponse().withHeader("Content-Type", "application/json").withBody(body);
	}

	abstract static class ProfileTests {

		@Autowired
		MockMvc mvc;

		void assertProfile(String type, String siteKey, String field, String testToken) throws Exception {
			this.mvc.perform(get("/sample/captcha.json"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.type").value(type))
				.andExpect(jsonPath("$.siteKey").value(siteKey))
				.andExpect(jsonPath("$.field").value(field));
			this.mvc
				.perform(MockMvcRequestBuilders.post("/api/contact")
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"message\":\"hi\",\"captchaToken\":\"" + testToken + "\"}"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.received").value("hi"));
			this.mvc
				.perform(MockMvcRequestBuilders.post("/api/signup")
					.contentType(MediaType.APPLICATION_JSON)
					.header("X-Captcha-Token", testToken)
					.content("{\"username\":\"alice\"}"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.created").value("alice"));
			this.mvc
				.perform(MockMvcRequestBuilders.post("/api/contact")
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"message\":\"hi\"}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.code").value("captcha_missing"));
		}

	}

	@Nested
	@SpringBootTest
	@AutoConfigureMockMvc
	@ActiveProfiles("hcaptcha")
	class Hcaptcha extends ProfileTests {

		@DynamicPropertySource
		static void url(DynamicPropertyRegistry registry) {
			registry.add("captcha.providers.hcaptcha.verify-url", () -> provider.baseUrl() + "/hcaptcha");
		}

		@Test
		void profileWhenTestTokenThenBothRoutesPass() throws Exception {
			assertProfile("hcaptcha", "10000000-ffff-ffff-ffff-000000000001", "h-captcha-response",
					"10000000-aaaa-bbbb-cccc-000000000001");
		}

	}

	@Nested
	@SpringBootTest
	@AutoConfigureMockMvc
	@ActiveProfiles("turnstile")
	class Turnstile extends ProfileTests {

		@DynamicPropertySource
		static void url(DynamicPropertyRegistry registry) {
			registry.add("captcha.providers.turnstile.verify-url", () -> provider.baseUrl() + "/turnstile");
		}

		@Test
		void profileWhenDummyTokenThenBothRoutesPass() throws Exception {
			assertProfile("turnstile", "1x00000000000000000000AA", "cf-turnstile-response", "XXXX.DUMMY.TOKEN.XXXX");
		}

	}

	@Nested
	@SpringBootTest
	@AutoConfigureMockMvc
	@ActiveProfiles("recaptcha")
	class Recaptcha extends ProfileTests {

		@DynamicPropertySource
		static void url(DynamicPropertyRegistry registry) {
			registry.add("captcha.providers.google.verify-url", () -> provider.baseUrl() + "/recaptcha");
		}

		@Test
		void profileWhenAnyTokenThenBothRoutesPass() throws Exception {
			assertProfile("recaptcha", "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI", "g-recaptcha-response", "any-token");
		}

	}

	@Nested
	@SpringBootTest
	@AutoConfigureMockMvc
	@ActiveProfiles("captchala")
	class Captchala extends ProfileTests {

		@DynamicPropertySource
		static void url(DynamicPropertyRegistry registry) {
			registry.add("captcha.providers.captchala.verify-url", () -> provider.baseUrl() + "/captchala");
		}

		@Test
		void profileWhenValidPassTokenThenContactPasses() throws Exception {
			this.mvc.perform(get("/sample/captcha.json"))
				.andExpect(jsonPath("$.type").value("captchala"))
				.andExpect(jsonPath("$.field").value("captchala-token"));
			this.mvc
				.perform(MockMvcRequestBuilders.post("/api/contact")
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"message\":\"hi\",\"captchaToken\":\"pt_sample\"}"))
				.andExpect(status().isOk());
		}

	}

}
