package io.github.captchasecurity.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample retargeted to its Google reCAPTCHA provider with one property, as README
 * shows, with Google's siteverify replaced by a stub on 127.0.0.1 that answers like the
 * official test secret does.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "captcha.default-provider=google")
class SampleRetargetedToGoogleTests {

	private static final WireMockServer google = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	static {
		google.start();
		google.stubFor(post("/recaptcha/api/siteverify")
			.withRequestBody(containing("secret=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"success\":true,\"challenge_ts\":\"" + Instant.now()
						+ "\",\"hostname\":\"testkey.google.com\"}")));
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void google(DynamicPropertyRegistry registry) {
		registry.add("captcha.providers.google.verify-url", () -> google.baseUrl() + "/recaptcha/api/siteverify");
	}

	@AfterAll
	static void stop() {
		google.stop();
	}

	@Test
	void contactWhenTokenInJsonThenMessageReceived() throws Exception {
		HttpResponse<String> response = postJson("/api/contact", "{\"message\":\"hi\",\"captchaToken\":\"solved-1\"}",
				null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"received\":\"hi\"}");
	}

	@Test
	void contactWhenNoTokenThenRejected() throws Exception {
		HttpResponse<String> response = postJson("/api/contact", "{\"message\":\"hi\"}", null);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"code\":\"captcha_missing\"");
	}

	@Test
	void signupWhenTokenInHeaderThenCreated() throws Exception {
		HttpResponse<String> response = postJson("/api/signup", "{\"username\":\"alice\"}", "solved-2");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"created\":\"alice\"}");
		// Google's test secret passes every token, so the replay check is off for it (see
		// README)
		HttpResponse<String> again = postJson("/api/signup", "{\"username\":\"alice\"}", "solved-2");
		assertThat(again.statusCode()).isEqualTo(200);
	}

	@Test
	void pageConfigurationNamesGoogleWidgetWithoutSecret() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/sample/captcha.json"))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).contains("\"type\":\"recaptcha\"")
			.contains("\"siteKey\":\"6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI\"")
			.contains("\"field\":\"g-recaptcha-response\"")
			.doesNotContain("6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe");
	}

	@Test
	void indexPageServedWithLinksToTheForms() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("captcha-security sample", "href=\"/contact\"", "href=\"/signup\"");
	}

	private HttpResponse<String> postJson(String path, String body, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("X-Captcha-Token", token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
