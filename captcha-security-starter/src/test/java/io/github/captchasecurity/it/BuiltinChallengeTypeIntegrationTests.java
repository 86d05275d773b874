package io.github.captchasecurity.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on a real Tomcat: a bot that asks {@code /captcha/generate} for a weak
 * challenge type ({@code math}, {@code pow}), solves it by script over HTTP and presents
 * its token to a route (configured, annotated or an escalation) that asks for another
 * type gets {@code 403 captcha_challenge_type_mismatch}; tokens of the asked type pass,
 * and routes that name no type behave as before.
 */
@SpringBootTest(classes = BuiltinApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.providers.local.type=builtin", "captcha.providers.strong.type=builtin",
				"captcha.default-provider=local", "captcha.builtin.site-keys=demo",
				"captcha.builtin.signing-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
				"captcha.routes[0].path=/api/contact", "captcha.routes[0].provider=local",
				"captcha.routes[0].challenge-types=image", "captcha.routes[1].path=/api/pay",
				"captcha.routes[1].provider=local", "captcha.routes[1].action=pay",
				"captcha.routes[1].challenge-types=pow,math", "captcha.routes[1].escalate-to=strong",
				"captcha.routes[2].path=/api/form", "captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
@DirtiesContext
class BuiltinChallengeTypeIntegrationTests {

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	BuiltinApplication.RecordingChallengeStore store;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeEach
	void reset() {
		BuiltinApplication.calls.set(0);
	}

	// ---- a configured route that accepts only image challenges

	@Test
	void imageOnlyRouteWhenBotSolvedMathOverTheApiThen403ChallengeTypeMismatch() throws Exception {
		String token = botPassToken("math", null);

		assertRejected(post("/api/contact", token, null), 403, "captcha_challenge_type_mismatch");
		assertThat(BuiltinApplication.calls).hasValue(0);
	}

	@Test
	void imageOnlyRouteWhenBotSolvedProofOfWorkThen403ChallengeTypeMismatch() throws Exception {
		assertRejected(post("/api/contact", botPassToken("pow", null), null), 403, "captcha_challenge_type_mismatch");
		// the payload itself, without exchanging it for a pass token
		JsonNode pow = generate("pow", null);
		assertRejected(post("/api/contact", solvePow(pow), null), 403, "captcha_challenge_type_mismatch");
		assertThat(BuiltinApplication.calls).hasValue(0);
	}

	@Test
	void imageOnlyRouteWhenHumanSolvedImageThenPasses() throws Exception {
		assertThat(post("/api/contact", humanPassToken("image", null), null).statusCode()).isEqualTo(200);
		assertThat(BuiltinApplication.calls).hasValue(1);
	}

	@Test
	void problemWhenChallengeTypeMismatchThenStableCodeTitleAndDetail() throws Exception {
		JsonNode problem = read(post("/api/contact", botPassToken("math", null), null));

		assertThat(problem.get("type").stringValue())
			.isEqualTo("urn:captcha-security:error:captcha_challenge_type_mismatch");
		assertThat(problem.get("status").intValue()).isEqualTo(403);
		assertThat(problem.get("title").stringValue())
			.isEqualTo("The CAPTCHA challenge is not of a type this route accepts");
		assertThat(problem.get("detail").stringValue()).isNotBlank();
	}

	// ---- @RequireCaptcha(challengeTypes = { "image", "grid" })

	@Test
	void annotatedHandlerWhenBotSolvedMathOrPowThen403ChallengeTypeMismatch() throws Exception {
		assertRejected(post("/api/signup", botPassToken("math", null), null), 403, "captcha_challenge_type_mismatch");
		assertRejected(post("/api/signup", botPassToken("pow", null), null), 403, "captcha_challenge_type_mismatch");
		assertThat(BuiltinApplication.calls).hasValue(0);
	}

	@Test
	void annotatedHandlerWhenHumanSolvedGridThenPasses() throws Exception {
		assertThat(post("/api/signup", humanPassToken("grid", null), null).statusCode()).isEqualTo(200);
	}

	// ---- an escalation to grid

	@Test
	void escalationWhenAskedForGridThenChallengeSaysSoAndMathOrPowRetriesAreRefused() throws Exception {
		HttpResponse<String> escalated = post("/api/pay", botPassToken("pow", "pay"), null);
		assertRejected(escalated, 403, "captcha_escalation_required");
		JsonNode challenge = read(escalated).get("challenge");
		assertThat(challenge.get("provider").stringValue()).isEqualTo("strong");
		assertThat(challenge.get("type").stringValue()).isEqualTo("grid");
		assertThat(challenge.get("challenge_types").get(0).stringValue()).isEqualTo("grid");
		assertThat(challenge.get("generated").get("type").stringValue()).isEqualTo("grid");

		// the bot ignores the grid and answers with what it can solve by script
		assertRejected(post("/api/pay", botPassToken("math", "pay"), "strong"), 403, "captcha_challenge_type_mismatch");
		assertRejected(post("/api/pay", botPassToken("pow", "pay"), "strong"), 403, "captcha_challenge_type_mismatch");
		assertRejected(post("/api/pay", solvePow(generate("pow", "pay")), "strong"), 403,
				"captcha_challenge_type_mismatch");
		assertThat(BuiltinApplication.calls).hasValue(0);
	}

	@Test
	void escalationWhenRetryIsTheGeneratedGridThenPasses() throws Exception {
		JsonNode challenge = read(post("/api/pay", botPassToken("math", "pay"), null)).get("challenge");
		String captchaId = challenge.get("generated").get("captcha_id").stringValue();

		String grid = validate(captchaId, this.store.answer(captchaId));

		assertThat(post("/api/pay", grid, "strong").statusCode()).isEqualTo(200);
		assertThat(BuiltinApplication.calls).hasValue(1);
	}

	@Test
	void routeWithoutChallengeTypesWhenMathThenPassesAsBefore() throws Exception {
		assertThat(post("/api/form", botPassToken("math", null), null).statusCode()).isEqualTo(200);
	}

	// ---- helpers: the bot's and the human's way to a token, over HTTP

	/** Generate a challenge of a weak type and solve it by script, as a bot does. */
	private String botPassToken(String type, @Nullable String action) throws Exception {
		JsonNode challenge = generate(type, action);
		String answer = "math".equals(type) ? solveMath(challenge.get("question").stringValue()) : solvePow(challenge);
		return validate(challenge.get("captcha_id").stringValue(), answer);
	}

	/** Generate an image or grid challenge and answer it right, as a human does. */
	private String humanPassToken(String type, @Nullable String action) throws Exception {
		String captchaId = generate(type, action).get("captcha_id").stringValue();
		return validate(captchaId, this.store.answer(captchaId));
	}

	private JsonNode generate(String type, @Nullable String action) throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("site_key", "demo");
		body.put("type", type);
		if (action != null) {
			body.put("action", action);
		}
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/captcha/generate"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return read(response);
	}

	private String validate(String captchaId, String answer) throws Exception {
		String body = json
			.writeValueAsString(Map.of("site_key", "demo", "captcha_id", captchaId, "user_input", answer));
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/captcha/validate"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		JsonNode answered = read(response);
		assertThat(answered.get("valid").booleanValue()).as(response.body()).isTrue();
		return answered.get("token").stringValue();
	}

	private static String solveMath(String question) {
		Matcher matcher = MATH.matcher(question);
		assertThat(matcher.matches()).as(question).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		return Integer.toString(switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		});
	}

	/**
	 * Brute-force the ALTCHA challenge {@code generate} answered, as a script does in
	 * milliseconds.
	 */
	private static String solvePow(JsonNode pow) throws NoSuchAlgorithmException {
		String salt = pow.get("salt").stringValue();
		String challenge = pow.get("challenge").stringValue();
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		for (int number = 0; number <= pow.get("maxnumber").intValue(); number++) {
			String hash = HexFormat.of().formatHex(sha256.digest((salt + number).getBytes(StandardCharsets.UTF_8)));
			if (hash.equals(challenge)) {
				Map<String, Object> payload = new LinkedHashMap<>();
				payload.put("algorithm", pow.get("algorithm").stringValue());
				payload.put("challenge", challenge);
				payload.put("number", number);
				payload.put("salt", salt);
				payload.put("signature", pow.get("signature").stringValue());
				return Base64.getEncoder().encodeToString(json.writeValueAsBytes(payload));
			}
		}
		throw new IllegalStateException("no solution");
	}

	private HttpResponse<String> post(String path, String token, @Nullable String provider) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header("X-Captcha-Token", token)
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
		if (provider != null) {
			request.header("X-Captcha-Provider", provider);
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static JsonNode read(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	private static void assertRejected(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(read(response).get("code").stringValue()).isEqualTo(code);
		assertThat(List.of(response.headers().firstValue("Content-Type").orElse(""))).first()
			.asString()
			.startsWith("application/problem+json");
	}

}
