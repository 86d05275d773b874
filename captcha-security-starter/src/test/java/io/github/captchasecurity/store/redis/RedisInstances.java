package io.github.captchasecurity.store.redis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Instances of {@link RedisStoreApplication} on random ports sharing one Redis, and an
 * HTTP client to talk to them.
 */
final class RedisInstances implements AutoCloseable {

	static final String SITE_KEY = "demo-site";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern QUESTION = Pattern.compile("What is (\\d+) (.) (\\d+)\\?");

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** Start {@code count} instances with the common properties and the given ones. */
	RedisInstances(int count, int redisPort, String providerUrl, String... properties) {
		for (int i = 0; i < count; i++) {
			List<String> all = new ArrayList<>(List.of("server.port=0", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + redisPort, "captcha.store.type=redis", "captcha.store.key-prefix=it:",
					"captcha.default-provider=local", "captcha.providers.local.type=builtin",
					"captcha.builtin.site-keys=" + SITE_KEY,
					"captcha.builtin.signing-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
					"captcha.providers.hosted.type=recaptcha", "captcha.providers.hosted.secret=hosted-secret-value",
					"captcha.providers.hosted.verify-url=" + providerUrl, "captcha.routes[0].path=/api/builtin",
					"captcha.routes[0].provider=local", "captcha.routes[1].path=/api/hosted",
					"captcha.routes[1].provider=hosted", "captcha.client-ip.trusted-proxies=127.0.0.1",
					"captcha.abuse.block-after=6", "spring.main.banner-mode=off"));
			all.addAll(List.of(properties));
			this.contexts
				.add(new SpringApplicationBuilder(RedisStoreApplication.class).properties(all.toArray(String[]::new))
					.run());
		}
	}

	ConfigurableApplicationContext context(int instance) {
		return this.contexts.get(instance % this.contexts.size());
	}

	int size() {
		return this.contexts.size();
	}

	private URI uri(int instance, String path) {
		int port = ((WebServerApplicationContext) context(instance)).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	HttpResponse<String> postJson(int instance, String path, Map<String, Object> body) {
		return send(HttpRequest.newBuilder(uri(instance, path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
			.build());
	}

	/**
	 * POST to a protected route with a token, from a client IP (X-Forwarded-For, the
	 * test's proxy is trusted).
	 */
	HttpResponse<String> submit(int instance, String path, String token, String clientIp) {
		return send(HttpRequest.newBuilder(uri(instance, path))
			.header("X-Captcha-Token", token)
			.header("X-Forwarded-For", clientIp)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	HttpResponse<String> get(int instance, String path) {
		return send(HttpRequest.newBuilder(uri(instance, path)).GET().build());
	}

	/** A form login (redirects not followed). */
	HttpResponse<String> login(int instance, String username, String password, String clientIp) {
		String form = "username=" + username + "&password=" + password;
		return send(HttpRequest.newBuilder(uri(instance, "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Forwarded-For", clientIp)
			.POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
			.build());
	}

	/**
	 * Generate a math challenge on one instance, answer it on another: the pass token.
	 */
	String passToken(int generateOn, int validateOn) {
		JsonNode challenge = json(
				postJson(generateOn, "/captcha/generate", Map.of("site_key", SITE_KEY, "type", "math")));
		Matcher question = QUESTION.matcher(challenge.get("question").stringValue());
		if (!question.matches()) {
			throw new IllegalStateException("Unexpected question " + challenge.get("question"));
		}
		int a = Integer.parseInt(question.group(1));
		int b = Integer.parseInt(question.group(3));
		int answer = switch (question.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		};
		JsonNode validated = json(postJson(validateOn, "/captcha/validate", Map.of("site_key", SITE_KEY, "captcha_id",
				challenge.get("captcha_id").stringValue(), "user_input", Integer.toString(answer))));
		if (!validated.get("valid").booleanValue()) {
			throw new IllegalStateException("Challenge not validated: " + validated);
		}
		return validated.get("token").stringValue();
	}

	static JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	static String code(HttpResponse<String> response) {
		JsonNode code = json(response).get("code");
		return (code != null) ? code.stringValue() : "";
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
