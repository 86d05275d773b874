package io.github.captchasecurity.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code captcha} health contributor on {@code /actuator/health/captcha} while a
 * reCAPTCHA stub (WireMock) goes down and comes back: UP, DOWN once more than half of the
 * last four verifications found it unavailable, UP again after four good ones; the probe
 * itself never calls the provider.
 */
@SpringBootTest(classes = HostedProvidersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.default-provider=google", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=health-secret-value", "captcha.routes[0].path=/api/google",
				"captcha.http.response-timeout=1500ms", "captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0",
				"captcha.health.window=4", "captcha.health.max-error-rate=0.5",
				"management.endpoint.health.show-details=always" })
class HealthTransitionsIntegrationTests {

	private static final WireMockServer provider = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private static final JsonMapper json = JsonMapper.builder().build();

	static {
		provider.start();
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void providerUrl(DynamicPropertyRegistry registry) {
		registry.add("captcha.providers.google.verify-url", () -> provider.baseUrl() + "/siteverify");
	}

	@AfterAll
	static void stopProvider() {
		provider.stop();
	}

	@Test
	void providerGoingDownAndBackThenCaptchaHealthUpDownUpWithoutProbingTheProvider() throws Exception {
		answer(aResponse().withHeader("Content-Type", "application/json").withBody("{\"success\":true}"));
		for (int i = 0; i < 10 && submit() != 200; i++) {
			// warm-up: a first answer can be slow on a busy machine
			Thread.sleep(200);
		}
		for (int i = 0; i < 4; i++) {
			assertThat(submit()).isEqualTo(200);
		}
		HttpResponse<String> up = health();
		assertThat(up.statusCode()).isEqualTo(200);
		JsonNode captcha = json.readTree(up.body());
		assertThat(captcha.get("status").stringValue()).isEqualTo("UP");
		assertThat(captcha.get("components").propertyNames()).containsExactly("google", "store");
		assertThat(captcha.get("components").get("google").get("details").get("samples").intValue()).isEqualTo(4);
		assertThat(captcha.get("components").get("store").get("details").get("type").stringValue()).isEqualTo("memory");

		answer(aResponse().withStatus(503));
		for (int i = 0; i < 3; i++) {
			assertThat(submit()).isEqualTo(503);
		}
		int calls = provider.getAllServeEvents().size();
		HttpResponse<String> down = health();
		assertThat(provider.getAllServeEvents()).as("the health probe asks no provider").hasSize(calls);
		assertThat(down.statusCode()).isEqualTo(503);
		JsonNode google = json.readTree(down.body()).get("components").get("google");
		assertThat(google.get("status").stringValue()).isEqualTo("DOWN");
		assertThat(google.get("details").get("errorRate").doubleValue()).isEqualTo(0.75);
		assertThat(google.get("details").has("lastFailure")).isTrue();
		assertThat(down.body()).doesNotContain("health-secret-value", "tok-");

		answer(aResponse().withHeader("Content-Type", "application/json").withBody("{\"success\":true}"));
		for (int i = 0; i < 4; i++) {
			assertThat(submit()).isEqualTo(200);
		}
		HttpResponse<String> back = health();
		assertThat(back.statusCode()).isEqualTo(200);
		assertThat(json.readTree(back.body()).get("status").stringValue()).isEqualTo("UP");
	}

	private static void answer(ResponseDefinitionBuilder response) {
		provider.resetAll();
		provider.stubFor(post(urlEqualTo("/siteverify")).willReturn(response));
	}

	private int submit() throws Exception {
		return send(HttpRequest.newBuilder(uri("/api/google"))
			.header("X-Captcha-Token", "tok-" + UUID.randomUUID())
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode();
	}

	private HttpResponse<String> health() throws Exception {
		return send(HttpRequest.newBuilder(uri("/actuator/health/captcha")).GET());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
