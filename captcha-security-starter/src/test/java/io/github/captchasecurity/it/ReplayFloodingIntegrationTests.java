package io.github.captchasecurity.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end against a small replay cache (gh-8, item 2): forged built-in pass tokens
 * take no entry, so 300 of them cannot push a consumed token out of a cache of 20, and a
 * cache full of live tokens answers 503 {@code captcha_replay_cache_full} (with one WARN
 * naming no token) instead of forgetting used ones.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = LoadTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.providers.local.type=builtin", "captcha.builtin.site-keys=demo",
				"captcha.replay.max-entries=20", "captcha.routes[0].path=/api/protected",
				"captcha.routes[0].provider=local", "captcha.abuse.block-after=0", "captcha.abuse.step-up-after=0" })
class ReplayFloodingIntegrationTests {

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void forgedTokensFloodThenConsumedTokenReplayedAndFullCacheAnswers503(CapturedOutput output) throws Exception {
		String consumed = passToken();
		assertThat(protectedCall(consumed).statusCode()).isEqualTo(200);

		String unsigned = consumed.substring(0, consumed.lastIndexOf('.') + 1);
		for (int i = 0; i < 300; i++) {
			byte[] signature = new byte[32];
			signature[0] = (byte) i;
			signature[1] = (byte) (i >> 8);
			String forged = unsigned + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
			assertThat(code(protectedCall(forged))).isEqualTo("captcha_invalid");
		}
		assertThat(code(protectedCall(consumed))).isEqualTo("captcha_replayed");

		// each pass holds two entries (the token digest and the challenge id): nine more
		// fill the cache of 20
		List<String> accepted = new ArrayList<>(List.of(consumed));
		for (int i = 0; i < 9; i++) {
			String token = passToken();
			assertThat(protectedCall(token).statusCode()).isEqualTo(200);
			accepted.add(token);
		}
		String refusedToken = passToken();
		HttpResponse<String> refused = protectedCall(refusedToken);
		HttpResponse<String> refusedAgain = protectedCall(passToken());

		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(code(refused)).isEqualTo("captcha_replay_cache_full");
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(code(refusedAgain)).isEqualTo("captcha_replay_cache_full");
		for (String token : accepted) {
			assertThat(code(protectedCall(token))).isEqualTo("captcha_replayed");
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("replay cache is full"))).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN").doesNotContain(refusedToken));
		assertThat(output.getAll()).doesNotContain(consumed).doesNotContain(refusedToken);
	}

	private HttpResponse<String> protectedCall(String token) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri("/api/protected"))
			.header("Content-Type", "application/json")
			.header("X-Captcha-Token", token)
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String passToken() throws Exception {
		JsonNode challenge = post("/captcha/generate", "{\"site_key\":\"demo\",\"type\":\"math\"}");
		Matcher matcher = MATH.matcher(challenge.get("question").stringValue());
		assertThat(matcher.matches()).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		int answer = switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		};
		JsonNode validated = post("/captcha/validate", "{\"site_key\":\"demo\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":\"" + answer + "\"}");
		assertThat(validated.get("valid").booleanValue()).isTrue();
		return validated.get("token").stringValue();
	}

	private JsonNode post(String path, String body) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static String code(HttpResponse<String> response) {
		return json.readTree(response.body()).path("code").asString();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
