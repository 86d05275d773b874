package io.github.captchasecurity.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
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
 * Every meter after real requests through the auto-configured filter on a real Tomcat,
 * with Spring Boot Actuator's meter and observation registries: a reCAPTCHA stub
 * (WireMock) that passes, rejects, answers 503, answers garbage and hangs; a provider
 * that cannot be connected to; a replay; a rate-limited client; built-in challenges
 * generated, solved, failed and answered after they were gone.
 */
@SpringBootTest(classes = HostedProvidersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.default-provider=google", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=observed-secret-value", "captcha.providers.down.type=recaptcha",
				"captcha.providers.down.secret=x", "captcha.providers.down.verify-url=http://127.0.0.1:1/siteverify",
				"captcha.providers.local.type=builtin", "captcha.builtin.site-keys=demo",
				"captcha.builtin.signing-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
				"captcha.routes[0].path=/api/google", "captcha.routes[0].provider=google",
				"captcha.routes[1].path=/api/down", "captcha.routes[1].provider=down",
				"captcha.routes[2].path=/api/local", "captcha.routes[2].provider=local",
				"captcha.http.response-timeout=1500ms", "captcha.client-ip.trusted-proxies=127.0.0.1",
				"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=3" })
class ObservabilityIntegrationTests {

	private static final WireMockServer provider = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	/** Every request comes from its own client (X-Forwarded-For), unless told. */
	private static final AtomicInteger clients = new AtomicInteger(10);

	static {
		provider.start();
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

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
	void realRequestsThenEveryMeterExistsOnceWithItsLowCardinalityTagsOnly() throws Exception {
		// warm the stub and the client: a first answer can be slow on a busy machine
		answer(aResponse().withHeader("Content-Type", "application/json")
			.withBody("{\"success\":true,\"hostname\":\"localhost\"}"));
		for (int i = 0; i < 5 && submit("/api/google", "tok-warm-up-" + i, nextClient()).statusCode() != 200; i++) {
			Thread.sleep(200);
		}

		assertThat(submit("/api/google", "tok-pass-1", nextClient()).statusCode()).isEqualTo(200);
		assertThat(code(submit("/api/google", "tok-pass-1", nextClient()))).isEqualTo("captcha_replayed");
		answer(aResponse().withHeader("Content-Type", "application/json")
			.withBody("{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}"));
		assertThat(code(submit("/api/google", "tok-rejected", nextClient()))).isEqualTo("captcha_invalid");
		answer(aResponse().withStatus(503));
		assertThat(code(submit("/api/google", "tok-5xx", nextClient()))).isEqualTo("captcha_provider_unavailable");
		answer(aResponse().withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>"));
		assertThat(code(submit("/api/google", "tok-garbage", nextClient()))).isEqualTo("captcha_provider_unavailable");
		answer(aResponse().withHeader("Content-Type", "application/json")
			.withBody("{\"success\":true}")
			.withFixedDelay(6000));
		assertThat(code(submit("/api/google", "tok-slow", nextClient()))).isEqualTo("captcha_provider_unavailable");
		assertThat(code(submit("/api/down", "tok-down", nextClient()))).isEqualTo("captcha_provider_unavailable");
		String blocked = nextClient();
		for (int i = 0; i < 3; i++) {
			assertThat(code(submit("/api/google", null, blocked))).isEqualTo("captcha_missing");
		}
		assertThat(code(submit("/api/google", null, blocked))).isEqualTo("captcha_rate_limited");
		String human = nextClient();
		assertThat(submit("/api/local", solvedMathChallenge(human), human).statusCode()).isEqualTo(200);
		JsonNode wrong = generate(human);
		assertThat(validate(wrong.get("captcha_id").stringValue(), "-1", human).get("valid").booleanValue()).isFalse();
		assertThat(validate("no-such-challenge", "7", human).get("code").stringValue())
			.isEqualTo("captcha_challenge_invalid");

		assertTagKeys("captcha.verifications", Set.of("provider", "outcome"));
		assertThat(tagValues("captcha.verifications", "outcome")).contains("passed", "captcha_replayed",
				"captcha_invalid", "captcha_provider_unavailable", "captcha_missing", "captcha_rate_limited");
		Set<String> verificationTags = tagKeys("captcha.verification");
		// an observation (Boot's ObservationRegistry): the meter handler adds
		// Micrometer's error tag
		assertThat(verificationTags).containsExactly("error", "outcome", "provider");
		assertThat(this.meters.find("captcha.verification").meters())
			.allSatisfy((meter) -> assertThat(meter).isInstanceOf(Timer.class));
		assertThat(tagValues("captcha.verification", "provider")).contains("google", "down", "local");
		assertTagKeys("captcha.provider.requests", Set.of("provider", "status"));
		assertThat(tagValues("captcha.provider.requests", "status")).contains("success", "rejected", "timeout",
				"connect-error", "http-5xx", "bad-answer");
		assertThat(this.meters.get("captcha.provider.requests")
			.tags("provider", "down", "status", "connect-error")
			.timer()
			.count()).isOne();
		assertThat(this.meters.get("captcha.provider.requests")
			.tags("provider", "google", "status", "timeout")
			.timer()
			.count()).as("the slow answer (and a warm-up on a busy machine)").isPositive();
		assertTagKeys("captcha.replay.rejected", Set.of("provider"));
		assertThat(this.meters.get("captcha.replay.rejected").tag("provider", "google").counter().count()).isOne();
		assertTagKeys("captcha.rate-limited", Set.of("provider"));
		assertThat(this.meters.get("captcha.rate-limited").tag("provider", "google").counter().count()).isOne();
		assertTagKeys("captcha.builtin.challenges", Set.of("type", "result"));
		assertThat(this.meters.get("captcha.builtin.challenges")
			.tags("type", "math", "result", "generated")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.meters.get("captcha.builtin.challenges")
			.tags("type", "math", "result", "solved")
			.counter()
			.count()).isOne();
		assertThat(this.meters.get("captcha.builtin.challenges")
			.tags("type", "math", "result", "failed")
			.counter()
			.count()).isOne();
		assertThat(this.meters.get("captcha.builtin.challenges")
			.tags("type", "unknown", "result", "expired")
			.counter()
			.count()).isOne();
		assertThat(this.meters.get("captcha.builtin.challenges.live").gauge()).isInstanceOf(Gauge.class);
		// in memory: no store commands to time
		assertThat(this.meters.find("captcha.store.operations").meters()).isEmpty();
		List<Meter> ours = this.meters.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith("captcha."))
			.toList();
		assertThat(ours).allSatisfy((meter) -> assertThat(meter.getId().getTags().toString())
			.doesNotContain("198.51.100", "127.0.0.1", "tok-", "observed-secret", "/api/"));
	}

	private static String nextClient() {
		int n = clients.incrementAndGet();
		return "198.51.100." + n;
	}

	private static void answer(ResponseDefinitionBuilder response) {
		provider.resetAll();
		provider.stubFor(post(urlEqualTo("/siteverify")).willReturn(response));
	}

	private void assertTagKeys(String name, Set<String> keys) {
		assertThat(this.meters.find(name).meters()).as(name)
			.isNotEmpty()
			.allSatisfy(
					(meter) -> assertThat(meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet()))
						.as(name)
						.isEqualTo(keys));
	}

	private Set<String> tagKeys(String name) {
		return this.meters.find(name)
			.meters()
			.stream()
			.flatMap((meter) -> meter.getId().getTags().stream())
			.map(Tag::getKey)
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private Set<String> tagValues(String name, String key) {
		return this.meters.find(name)
			.meters()
			.stream()
			.map((meter) -> meter.getId().getTag(key))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private String solvedMathChallenge(String client) throws Exception {
		JsonNode challenge = generate(client);
		Matcher matcher = MATH.matcher(challenge.get("question").stringValue());
		assertThat(matcher.matches()).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		int answer = switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		};
		JsonNode validated = validate(challenge.get("captcha_id").stringValue(), Integer.toString(answer), client);
		assertThat(validated.get("valid").booleanValue()).isTrue();
		return validated.get("token").stringValue();
	}

	private JsonNode generate(String client) throws Exception {
		return json.readTree(postJson("/captcha/generate", Map.of("site_key", "demo", "type", "math"), client).body());
	}

	private JsonNode validate(String captchaId, String answer, String client) throws Exception {
		return json.readTree(postJson("/captcha/validate",
				Map.of("site_key", "demo", "captcha_id", captchaId, "user_input", answer), client)
			.body());
	}

	private HttpResponse<String> postJson(String path, Map<String, Object> body, String client) throws Exception {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", client)
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
	}

	private HttpResponse<String> submit(String path, String token, String client) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("X-Forwarded-For", client)
			.POST(HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("X-Captcha-Token", token);
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static String code(HttpResponse<String> response) {
		JsonNode code = json.readTree(response.body()).get("code");
		return (code != null) ? code.stringValue() : "";
	}

}
