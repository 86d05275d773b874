package io.github.captchasecurity.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's operations endpoints as shipped: after a few requests (a hosted provider
 * through a stub of Google's siteverify, a missing token, a built-in challenge solved),
 * {@code /actuator/health} shows the {@code captcha} contributor with a component per
 * provider and the store, and {@code /actuator/metrics} lists the captcha meters.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "captcha.default-provider=google",
		"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
class ActuatorEndpointsTests {

	private static final WireMockServer google = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	static {
		google.start();
		google.stubFor(WireMock.post("/recaptcha/api/siteverify")
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
	void healthAndMetricsAfterAFewRequestsThenCaptchaComponentsAndMetersAreListed() throws Exception {
		assertThat(post("/api/contact", "{\"message\":\"hi\",\"captchaToken\":\"solved-1\"}").statusCode())
			.isEqualTo(200);
		assertThat(post("/api/contact", "{\"message\":\"hi\"}").statusCode()).isEqualTo(400);
		JsonNode challenge = json
			.readTree(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}").body());
		Matcher question = MATH.matcher(challenge.get("question").stringValue());
		assertThat(question.matches()).isTrue();
		int a = Integer.parseInt(question.group(1));
		int b = Integer.parseInt(question.group(3));
		int answer = switch (question.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		};
		assertThat(post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":\"" + answer + "\"}")
			.body()).contains("\"valid\":true");

		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
		JsonNode captcha = json.readTree(health.body()).get("components").get("captcha");
		assertThat(captcha.get("status").stringValue()).isEqualTo("UP");
		assertThat(captcha.get("components").propertyNames()).containsExactlyInAnyOrder("google", "local", "strong",
				"store");
		assertThat(captcha.get("components").get("google").get("details").get("samples").intValue()).isOne();
		assertThat(health.body()).doesNotContain("6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe", "solved-1");

		HttpResponse<String> metrics = get("/actuator/metrics");
		assertThat(metrics.statusCode()).isEqualTo(200);
		List<String> names = new ArrayList<>();
		json.readTree(metrics.body()).get("names").forEach((name) -> names.add(name.stringValue()));
		assertThat(names).contains("captcha.verifications", "captcha.verification", "captcha.provider.requests",
				"captcha.builtin.challenges", "captcha.builtin.challenges.live");
		JsonNode requests = json.readTree(get("/actuator/metrics/captcha.provider.requests").body());
		assertThat(requests.get("availableTags").findValuesAsString("tag")).contains("provider", "status");
		assertThat(Map.of("prometheus", get("/actuator/prometheus").body())).hasEntrySatisfying("prometheus",
				(body) -> assertThat(body).contains("captcha_verifications_total",
						"captcha_provider_requests_seconds"));
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
