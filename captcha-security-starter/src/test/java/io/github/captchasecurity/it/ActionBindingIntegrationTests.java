package io.github.captchasecurity.it;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Action binding, provider by provider: a token solved without an action (on a harmless
 * page, a widget without {@code data-action}) presented to a login route that requires
 * the action {@code login} is {@code 403 captcha_action_mismatch}, whichever provider
 * verifies it; the same provider's token carrying {@code login} passes. Hosted providers
 * answer from stubs on 127.0.0.1 with production (not test) secrets, under which the
 * action is checked; the built-in provider is driven over its real HTTP API.
 */
@SpringBootTest(classes = ActionBindingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"captcha.providers.local.type=builtin", "captcha.default-provider=local", "captcha.builtin.site-keys=demo",
		"captcha.builtin.signing-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
		"captcha.providers.v2.type=recaptcha", "captcha.providers.v2.secret=v2-production-secret",
		"captcha.providers.v3.type=recaptcha", "captcha.providers.v3.secret=v3-production-secret",
		"captcha.providers.v3.min-score=0.5", "captcha.providers.ent.type=recaptcha-enterprise",
		"captcha.providers.ent.api-key=api-key-value", "captcha.providers.ent.project-id=my-project",
		"captcha.providers.ent.site-key=ent-site-key", "captcha.providers.ts.type=turnstile",
		"captcha.providers.ts.secret=0x4AAAAAAAOurOwnProductionSecretKey", "captcha.providers.cl.type=captchala",
		"captcha.providers.cl.app-key=app", "captcha.providers.cl.app-secret=app-secret-value",
		"captcha.routes[0].path=/api/login/local", "captcha.routes[0].provider=local", "captcha.routes[0].action=login",
		"captcha.routes[1].path=/api/login/v2", "captcha.routes[1].provider=v2", "captcha.routes[1].action=login",
		"captcha.routes[2].path=/api/login/v3", "captcha.routes[2].provider=v3", "captcha.routes[2].action=login",
		"captcha.routes[3].path=/api/login/ent", "captcha.routes[3].provider=ent", "captcha.routes[3].action=login",
		"captcha.routes[4].path=/api/login/ts", "captcha.routes[4].provider=ts", "captcha.routes[4].action=login",
		"captcha.routes[5].path=/api/login/cl", "captcha.routes[5].provider=cl", "captcha.routes[5].action=login",
		"captcha.http.response-timeout=2s", "captcha.abuse.block-after=0", "captcha.abuse.step-up-after=0" })
class ActionBindingIntegrationTests {

	private static final WireMockServer stub = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private static final JsonMapper json = JsonMapper.builder().build();

	static {
		stub.start();
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void urls(DynamicPropertyRegistry registry) {
		registry.add("captcha.providers.v2.verify-url", () -> stub.baseUrl() + "/siteverify/v2");
		registry.add("captcha.providers.v3.verify-url", () -> stub.baseUrl() + "/siteverify/v3");
		registry.add("captcha.providers.ts.verify-url", () -> stub.baseUrl() + "/turnstile/siteverify");
		registry.add("captcha.providers.cl.verify-url", () -> stub.baseUrl() + "/v1/validate");
		registry.add("captcha.providers.ent.verify-url", () -> stub.baseUrl() + "/v1/projects/{project}/assessments");
	}

	@AfterAll
	static void stop() {
		stub.stop();
	}

	@BeforeEach
	void reset() {
		stub.resetAll();
	}

	// ---- built-in, over its real HTTP API

	@Test
	void builtinWhenPassTokenSolvedWithoutActionThenLoginRouteAnswersActionMismatch() throws Exception {
		assertActionMismatch(submit("/api/login/local", "captcha-token", mathPassToken(null)));
		assertPassed(submit("/api/login/local", "captcha-token", mathPassToken("login")));
	}

	@Test
	void builtinWhenPassTokenSolvedForAnotherActionThenActionMismatch() throws Exception {
		assertActionMismatch(submit("/api/login/local", "captcha-token", mathPassToken("newsletter")));
	}

	@Test
	void builtinWhenProofOfWorkSolvedWithoutActionThenLoginRouteAnswersActionMismatch() throws Exception {
		assertActionMismatch(submit("/api/login/local", "captcha-token", solvePow(generate("pow", null))));
		assertPassed(submit("/api/login/local", "captcha-token", solvePow(generate("pow", "login"))));
	}

	@Test
	void requireCaptchaWhenBuiltinTokenSolvedWithoutActionThenActionMismatch() throws Exception {
		assertActionMismatch(submit("/api/annotated-login", "captcha-token", mathPassToken(null)));
		assertPassed(submit("/api/annotated-login", "captcha-token", mathPassToken("login")));
	}

	// ---- hosted providers, answers without an action

	@Test
	void recaptchaV2WhenAnswerCarriesNoActionThenActionMismatch() throws Exception {
		String token = "v2-" + UUID.randomUUID();
		stub.stubFor(post("/siteverify/v2").withRequestBody(containing("response=" + token))
			.willReturn(json(
					"{\"success\":true,\"challenge_ts\":\"" + Instant.now() + "\",\"hostname\":\"example.com\"}")));
		assertActionMismatch(submit("/api/login/v2", "g-recaptcha-response", token));
	}

	@Test
	void recaptchaV3WhenAnswerCarriesNoActionThenActionMismatchAndLoginActionPasses() throws Exception {
		String harmless = "v3-" + UUID.randomUUID();
		String login = "v3-" + UUID.randomUUID();
		stub.stubFor(post("/siteverify/v3").withRequestBody(containing("response=" + harmless))
			.willReturn(json("{\"success\":true,\"score\":0.9,\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"example.com\"}")));
		stub.stubFor(post("/siteverify/v3").withRequestBody(containing("response=" + login))
			.willReturn(json("{\"success\":true,\"score\":0.9,\"action\":\"login\",\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"example.com\"}")));
		assertActionMismatch(submit("/api/login/v3", "g-recaptcha-response", harmless));
		assertPassed(submit("/api/login/v3", "g-recaptcha-response", login));
	}

	@Test
	void enterpriseWhenAssessmentCarriesNoActionThenActionMismatchAndLoginActionPasses() throws Exception {
		String harmless = "ent-" + UUID.randomUUID();
		String login = "ent-" + UUID.randomUUID();
		stub.stubFor(post(urlPathEqualTo("/v1/projects/my-project/assessments"))
			.withRequestBody(matchingJsonPath("$.event.token", equalTo(harmless)))
			.willReturn(json("{\"tokenProperties\":{\"valid\":true,\"hostname\":\"example.com\",\"createTime\":\""
					+ Instant.now() + "\"},\"riskAnalysis\":{\"score\":0.9}}")));
		stub.stubFor(post(urlPathEqualTo("/v1/projects/my-project/assessments"))
			.withRequestBody(matchingJsonPath("$.event.token", equalTo(login)))
			.willReturn(json("{\"tokenProperties\":{\"valid\":true,\"action\":\"login\",\"hostname\":\"example.com\","
					+ "\"createTime\":\"" + Instant.now() + "\"},\"riskAnalysis\":{\"score\":0.9}}")));
		assertActionMismatch(submit("/api/login/ent", "g-recaptcha-response", harmless));
		assertPassed(submit("/api/login/ent", "g-recaptcha-response", login));
	}

	@Test
	void turnstileWhenAnswerCarriesNoActionThenActionMismatchAndLoginActionPasses() throws Exception {
		String harmless = "ts-" + UUID.randomUUID();
		String empty = "ts-" + UUID.randomUUID();
		String login = "ts-" + UUID.randomUUID();
		stub.stubFor(post("/turnstile/siteverify").withRequestBody(containing("response=" + harmless))
			.willReturn(json("{\"success\":true,\"error-codes\":[],\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"example.com\"}")));
		stub.stubFor(post("/turnstile/siteverify").withRequestBody(containing("response=" + empty))
			.willReturn(json("{\"success\":true,\"error-codes\":[],\"action\":\"\",\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"example.com\"}")));
		stub.stubFor(post("/turnstile/siteverify").withRequestBody(containing("response=" + login))
			.willReturn(json("{\"success\":true,\"error-codes\":[],\"action\":\"login\",\"challenge_ts\":\""
					+ Instant.now() + "\",\"hostname\":\"example.com\"}")));
		assertActionMismatch(submit("/api/login/ts", "cf-turnstile-response", harmless));
		assertActionMismatch(submit("/api/login/ts", "cf-turnstile-response", empty));
		assertPassed(submit("/api/login/ts", "cf-turnstile-response", login));
	}

	@Test
	void captchalaWhenAnswerCarriesNoActionThenActionMismatchAndLoginActionPasses() throws Exception {
		stub.stubFor(post("/v1/validate").withRequestBody(matchingJsonPath("$.pass_token", equalTo("pt_harmless")))
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true}}")));
		stub.stubFor(post("/v1/validate").withRequestBody(matchingJsonPath("$.pass_token", equalTo("pt_login")))
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true,\"action\":\"login\"}}")));
		assertActionMismatch(submit("/api/login/cl", "captchala-token", "pt_harmless"));
		assertPassed(submit("/api/login/cl", "captchala-token", "pt_login"));
	}

	// ---- helpers

	/** Generate a math challenge and solve it by script. */
	private String mathPassToken(@Nullable String action) throws Exception {
		JsonNode challenge = generate("math", action);
		Matcher matcher = MATH.matcher(challenge.get("question").stringValue());
		assertThat(matcher.matches()).as(challenge.toString()).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		int answer = switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		};
		String body = json.writeValueAsString(Map.of("site_key", "demo", "captcha_id",
				challenge.get("captcha_id").stringValue(), "user_input", Integer.toString(answer)));
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/captcha/validate"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		JsonNode answered = json.readTree(response.body());
		assertThat(answered.get("valid").booleanValue()).as(response.body()).isTrue();
		return answered.get("token").stringValue();
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
		return json.readTree(response.body());
	}

	private static String solvePow(JsonNode pow) throws Exception {
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

	private HttpResponse<String> submit(String path, String field, String token) throws Exception {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=alice&" + field + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8))));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static ResponseDefinitionBuilder json(String body) {
		return aResponse().withHeader("Content-Type", "application/json").withBody(body);
	}

	private static void assertActionMismatch(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		assertThat(json.readTree(response.body()).get("code").stringValue()).isEqualTo("captcha_action_mismatch");
		assertThat(List.of(response.body())).first().asString().doesNotContain("logged-in");
	}

	private static void assertPassed(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("logged-in");
	}

}
