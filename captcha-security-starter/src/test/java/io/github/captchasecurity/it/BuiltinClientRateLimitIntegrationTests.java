package io.github.captchasecurity.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on a real Tomcat: the per-client limits of the built-in API. Clients are
 * told apart by {@code X-Forwarded-For} from the trusted proxy 127.0.0.1. The site key
 * allows 6 challenges an hour, each client 3: one client's flood gets 429 past its own 3
 * while another still gets 200, and the flood's refused requests do not use up the site
 * key's budget. The site keys allow image and grid only, so {@code generate} refuses
 * math.
 */
@SpringBootTest(classes = BuiltinApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.providers.local.type=builtin", "captcha.builtin.site-keys=demo",
				"captcha.builtin.signing-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
				"captcha.builtin.challenge-types=image,grid", "captcha.builtin.limits.generate-per-hour=6",
				"captcha.builtin.limits.generate-per-client-per-hour=3",
				"captcha.client-ip.trusted-proxies=127.0.0.1" })
@DirtiesContext
class BuiltinClientRateLimitIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void generateWhenOneClientFloodsThenItAlone429sAndItsRefusedRequestsLeaveTheSiteKeyBudget() throws Exception {
		int ok = 0;
		int limited = 0;
		for (int i = 0; i < 40; i++) {
			HttpResponse<String> response = generate("203.0.113.66", "image");
			if (response.statusCode() == 200) {
				ok++;
			}
			else {
				assertThat(response.statusCode()).isEqualTo(429);
				assertThat(read(response).get("code").stringValue()).isEqualTo("captcha_rate_limited");
				assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isPositive()
					.isLessThanOrEqualTo(3600);
				limited++;
			}
		}
		assertThat(ok).isEqualTo(3);
		assertThat(limited).isEqualTo(37);

		// another client still gets its share: the flood's 37 refused requests did not
		// count for the site key
		for (int i = 0; i < 3; i++) {
			assertThat(generate("198.51.100.7", "grid").statusCode()).isEqualTo(200);
		}
		// and the site key's own limit (6) still holds for everyone else
		HttpResponse<String> third = generate("192.0.2.1", "image");
		assertThat(third.statusCode()).isEqualTo(429);
		assertThat(read(third).get("code").stringValue()).isEqualTo("captcha_rate_limited");
	}

	@Test
	void generateWhenTypeNotAllowedForTheSiteKeyThen400BadRequest() throws Exception {
		HttpResponse<String> math = generate("198.18.0.1", "math");
		HttpResponse<String> pow = generate("198.18.0.1", "pow");

		assertThat(math.statusCode()).isEqualTo(400);
		assertThat(read(math).get("code").stringValue()).isEqualTo("captcha_bad_request");
		assertThat(read(math).get("detail").stringValue()).contains("allowed: image, grid");
		assertThat(pow.statusCode()).isEqualTo(400);
		assertThat(read(pow).get("code").stringValue()).isEqualTo("captcha_bad_request");
	}

	private HttpResponse<String> generate(String client, String type) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/captcha/generate"))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", client)
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString("{\"site_key\":\"demo\",\"type\":\"" + type + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static JsonNode read(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

}
