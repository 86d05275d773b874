package io.github.captchasecurity.it;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
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
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hosted provider configured at once, each behind its own route, against stubs on
 * 127.0.0.1 that answer as the providers document (official test keys included); plus a
 * route that accepts two providers and a route that fails open.
 */
@SpringBootTest(classes = HostedProvidersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"captcha.default-provider=google", "captcha.providers.google.type=recaptcha",
		"captcha.providers.google.secret=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
		"captcha.providers.hc.type=hcaptcha", "captcha.providers.hc.secret=0x0000000000000000000000000000000000000000",
		"captcha.providers.hc.site-key=10000000-ffff-ffff-ffff-000000000001", "captcha.providers.hce.type=hcaptcha",
		"captcha.providers.hce.secret=0x0000000000000000000000000000000000000000",
		"captcha.providers.hce.min-score=0.5", "captcha.providers.ts-pass.type=turnstile",
		"captcha.providers.ts-pass.secret=1x0000000000000000000000000000000AA",
		"captcha.providers.ts-fail.type=turnstile",
		"captcha.providers.ts-fail.secret=2x0000000000000000000000000000000AA",
		"captcha.providers.ts-spent.type=turnstile",
		"captcha.providers.ts-spent.secret=3x0000000000000000000000000000000AA", "captcha.providers.cl.type=captchala",
		"captcha.providers.cl.app-key=app", "captcha.providers.cl.app-secret=app-secret-value",
		"captcha.providers.ent.type=recaptcha-enterprise", "captcha.providers.ent.api-key=api-key-value",
		"captcha.providers.ent.project-id=my-project", "captcha.providers.ent.site-key=ent-site-key",
		"captcha.providers.ent.min-score=0.5", "captcha.providers.frc.type=friendly-captcha",
		"captcha.providers.frc.api-key=frc-key", "captcha.providers.frc.site-key=frc-site",
		"captcha.providers.local.type=builtin", "captcha.builtin.site-keys=demo",
		"captcha.providers.down.type=recaptcha", "captcha.providers.down.secret=x",
		"captcha.providers.down.verify-url=http://127.0.0.1:1/siteverify", "captcha.routes[0].path=/api/google",
		"captcha.routes[0].provider=google", "captcha.routes[1].path=/api/hc", "captcha.routes[1].provider=hc",
		"captcha.routes[2].path=/api/hce", "captcha.routes[2].provider=hce", "captcha.routes[3].path=/api/ts-pass",
		"captcha.routes[3].provider=ts-pass", "captcha.routes[3].action=test", "captcha.routes[4].path=/api/ts-fail",
		"captcha.routes[4].provider=ts-fail", "captcha.routes[5].path=/api/ts-spent",
		"captcha.routes[5].provider=ts-spent", "captcha.routes[6].path=/api/cl", "captcha.routes[6].provider=cl",
		"captcha.routes[7].path=/api/ent", "captcha.routes[7].provider=ent", "captcha.routes[7].action=login",
		"captcha.routes[8].path=/api/frc", "captcha.routes[8].provider=frc", "captcha.routes[9].path=/api/multi",
		"captcha.routes[9].provider=ts-pass,local", "captcha.routes[10].path=/api/fail-open",
		"captcha.routes[10].provider=down", "captcha.routes[10].fail-open=true",
		"captcha.routes[11].path=/api/fail-closed", "captcha.routes[11].provider=down",
		"captcha.routes[12].path=/api/ts-scored", "captcha.routes[12].provider=ts-pass",
		"captcha.routes[12].min-score=0.9", "captcha.routes[13].path=/api/cl-ticket", "captcha.routes[13].provider=cl",
		"captcha.routes[13].action=transfer", "captcha.routes[13].server-challenge=true",
		"captcha.http.response-timeout=1s", "captcha.abuse.block-after=0" })
class HostedProvidersIntegrationTests {

	private static final WireMockServer stub = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private static final String DUMMY = "XXXX.DUMMY.TOKEN.XXXX";

	static {
		stub.start();
	}

	@LocalServerPort
	int port;

	@Autowired
	CaptchaVerificationService service;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void urls(DynamicPropertyRegistry registry) {
		for (String name : List.of("google", "hc", "hce")) {
			registry.add("captcha.providers." + name + ".verify-url", () -> stub.baseUrl() + "/siteverify/" + name);
		}
		for (String name : List.of("ts-pass", "ts-fail", "ts-spent")) {
			registry.add("captcha.providers." + name + ".verify-url", () -> stub.baseUrl() + "/turnstile/siteverify");
		}
		registry.add("captcha.providers.cl.verify-url", () -> stub.baseUrl() + "/v1/validate");
		registry.add("captcha.providers.cl.issue-url", () -> stub.baseUrl() + "/v1/server/challenge/issue");
		registry.add("captcha.providers.ent.verify-url", () -> stub.baseUrl() + "/v1/projects/{project}/assessments");
		registry.add("captcha.providers.frc.verify-url", () -> stub.baseUrl() + "/api/v2/captcha/siteverify");
	}

	@AfterAll
	static void stop() {
		stub.stop();
	}

	@BeforeEach
	void stubProviders() {
		stub.resetAll();
		// Google's always-pass test secret
		stub.stubFor(post("/siteverify/google").willReturn(json(
				"{\"success\":true,\"challenge_ts\":\"" + Instant.now() + "\",\"hostname\":\"testkey.google.com\"}")));
		// hCaptcha test keys: publisher, enterprise safe user, enterprise bot
		stub.stubFor(post(urlPathEqualTo("/siteverify/hc"))
			.withRequestBody(containing("response=10000000-aaaa-bbbb-cccc-000000000001"))
			.willReturn(json("{\"success\":true,\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"dummy-key-pass\",\"credit\":false}")));
		stub.stubFor(post(urlPathEqualTo("/siteverify/hce"))
			.withRequestBody(containing("response=20000000-aaaa-bbbb-cccc-000000000002"))
			.willReturn(json("{\"success\":true,\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"dummy-key-pass\",\"score\":0,\"score_reason\":[]}")));
		stub.stubFor(post(urlPathEqualTo("/siteverify/hce"))
			.withRequestBody(containing("response=30000000-aaaa-bbbb-cccc-000000000003"))
			.willReturn(json("{\"success\":true,\"challenge_ts\":\"" + Instant.now()
					+ "\",\"hostname\":\"dummy-key-pass\",\"score\":1,\"score_reason\":[\"bot\"]}")));
		// Turnstile test secrets accept only the dummy token
		stub.stubFor(
				post("/turnstile/siteverify").withRequestBody(containing("secret=1x0000000000000000000000000000000AA"))
					.withRequestBody(containing("response=" + URLEncoder.encode(DUMMY, StandardCharsets.UTF_8)))
					.willReturn(json("{\"success\":true,\"error-codes\":[],\"challenge_ts\":\"" + Instant.now()
							+ "\",\"hostname\":\"localhost\",\"action\":\"test\",\"cdata\":\"test-data\"}")));
		stub.stubFor(
				post("/turnstile/siteverify").withRequestBody(containing("secret=2x0000000000000000000000000000000AA"))
					.willReturn(json("{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}")));
		stub.stubFor(
				post("/turnstile/siteverify").withRequestBody(containing("secret=3x0000000000000000000000000000000AA"))
					.willReturn(json("{\"success\":false,\"error-codes\":[\"timeout-or-duplicate\"]}")));
	}

	@Test
	void recaptchaWhenGoogleTestSecretThenPasses() throws Exception {
		assertPassed(postForm("/api/google", "g-recaptcha-response", "any-" + UUID.randomUUID()));
	}

	@Test
	void hcaptchaWhenPublisherTestTokenThenPassesAndSendsSiteKey() throws Exception {
		assertPassed(postForm("/api/hc", "h-captcha-response", "10000000-aaaa-bbbb-cccc-000000000001"));
		stub.verify(postRequestedFor(urlPathEqualTo("/siteverify/hc"))
			.withRequestBody(containing("secret=0x0000000000000000000000000000000000000000"))
			.withRequestBody(containing("sitekey=10000000-ffff-ffff-ffff-000000000001")));
	}

	@Test
	void hcaptchaEnterpriseWhenBotTestTokenThenLowScoreAndSafeTokenPasses() throws Exception {
		assertRejected(postForm("/api/hce", "h-captcha-response", "30000000-aaaa-bbbb-cccc-000000000003"), 403,
				"captcha_low_score");
		assertPassed(postForm("/api/hce", "h-captcha-response", "20000000-aaaa-bbbb-cccc-000000000002"));
	}

	@Test
	void turnstileWhenAlwaysPassSecretWithDummyTokenThenPasses() throws Exception {
		assertPassed(postForm("/api/ts-pass", "cf-turnstile-response", DUMMY));
		stub.verify(postRequestedFor(urlPathEqualTo("/turnstile/siteverify"))
			.withRequestBody(containing("idempotency_key=")));
	}

	@Test
	void turnstileWhenAlwaysFailSecretThenInvalid() throws Exception {
		assertRejected(postForm("/api/ts-fail", "cf-turnstile-response", DUMMY), 403, "captcha_invalid");
	}

	@Test
	void turnstileWhenSpentSecretThenExpired() throws Exception {
		assertRejected(postForm("/api/ts-spent", "cf-turnstile-response", DUMMY), 403, "captcha_expired");
	}

	@Test
	void turnstileWhenTokenOver2048CharsThenMalformedWithoutAskingCloudflare() throws Exception {
		assertRejected(postForm("/api/ts-pass", "cf-turnstile-response", "a".repeat(2049)), 400, "captcha_malformed");
		stub.verify(0, postRequestedFor(urlPathEqualTo("/turnstile/siteverify")));
	}

	@Test
	void turnstileWhenConnectionDroppedThenRetriedOnceWithTheSameIdempotencyKey() throws Exception {
		stub.resetAll();
		stub.stubFor(post("/turnstile/siteverify").inScenario("retry")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
			.willSetStateTo("second"));
		stub.stubFor(post("/turnstile/siteverify").inScenario("retry")
			.whenScenarioStateIs("second")
			.willReturn(json("{\"success\":true,\"error-codes\":[],\"action\":\"test\",\"challenge_ts\":\""
					+ Instant.now() + "\"}")));
		assertPassed(postForm("/api/ts-pass", "cf-turnstile-response", DUMMY));
		List<String> keys = stub.findAll(postRequestedFor(urlPathEqualTo("/turnstile/siteverify")))
			.stream()
			.map((request) -> form(request.getBodyAsString()).get("idempotency_key"))
			.toList();
		assertThat(keys).hasSize(2);
		assertThat(keys.get(0)).isEqualTo(keys.get(1));
		assertThat(UUID.fromString(keys.get(0))).isNotNull();
	}

	@Test
	void otherProvidersWhenConnectionDroppedThenNotRetried() throws Exception {
		stub.resetAll();
		stub.stubFor(post("/siteverify/hc").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertRejected(postForm("/api/hc", "h-captcha-response", "tok-" + UUID.randomUUID()), 503,
				"captcha_provider_unavailable");
		stub.verify(1, postRequestedFor(urlPathEqualTo("/siteverify/hc")));
	}

	@Test
	void turnstileWhenRouteAsksForScoreThenIgnoredBecauseTurnstileDoesNotScore() throws Exception {
		assertPassed(postForm("/api/ts-scored", "cf-turnstile-response", DUMMY));
	}

	@Test
	void captchalaWhenValidThenPassesWithAppHeaders() throws Exception {
		String token = "pt_" + UUID.randomUUID();
		stub.stubFor(post("/v1/validate").withHeader("X-App-Key", equalTo("app"))
			.withHeader("X-App-Secret", equalTo("app-secret-value"))
			.withRequestBody(matchingJsonPath("$.pass_token", equalTo(token)))
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true,\"action\":\"login\"}}")));
		assertPassed(postForm("/api/cl", "captchala-token", token));
	}

	@Test
	void captchalaWhenClientOnlyTokenThenInvalidWithoutCall() throws Exception {
		assertRejected(postForm("/api/cl", "captchala-token", "client_" + UUID.randomUUID()), 403, "captcha_invalid");
		stub.verify(0, postRequestedFor(urlPathEqualTo("/v1/validate")));
	}

	@Test
	void captchalaServerChallengeWhenIssuedForThisClientThenTokenPassesElseRejected() throws Exception {
		stub.stubFor(post("/v1/server/challenge/issue").withHeader("X-App-Key", equalTo("app"))
			.willReturn(
					json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"server_token\":\"sct_abc\",\"expires_in\":120}}")));
		HttpResponse<String> issued = send(HttpRequest.newBuilder(uri("/captcha/captchala/cl/challenge"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"transfer\"}")));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		assertThat(issued.body()).contains("\"server_token\":\"sct_abc\"");
		String issueBody = stub.findAll(postRequestedFor(urlPathEqualTo("/v1/server/challenge/issue")))
			.get(0)
			.getBodyAsString();
		assertThat(issueBody).contains("\"binding_ip\":\"127.0.0.1\"");
		String uid = issueBody.replaceAll(".*\"bind_uid\":\"([^\"]+)\".*", "$1");
		stub.stubFor(post("/v1/validate").withRequestBody(matchingJsonPath("$.pass_token", equalTo("pt_ticket")))
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true,\"action\":\"transfer\",\"uid\":\""
					+ uid + "\"}}")));
		stub.stubFor(post("/v1/validate").withRequestBody(matchingJsonPath("$.pass_token", equalTo("pt_elsewhere")))
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true,\"action\":\"transfer\"}}")));
		assertPassed(postForm("/api/cl-ticket", "captchala-token", "pt_ticket"));
		assertRejected(postForm("/api/cl-ticket", "captchala-token", "pt_elsewhere"), 403, "captcha_invalid");
	}

	@Test
	void captchalaChallengeEndpointWhenBadRequestsThenClear4xx() throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri("/captcha/captchala/nope/challenge"))
			.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"x\"}"))).statusCode()).isEqualTo(404);
		assertThat(send(HttpRequest.newBuilder(uri("/captcha/captchala/cl/challenge")).GET()).statusCode())
			.isEqualTo(405);
		assertThat(send(HttpRequest.newBuilder(uri("/captcha/captchala/cl/challenge"))
			.POST(HttpRequest.BodyPublishers.ofString("not json"))).statusCode()).isEqualTo(400);
	}

	@Test
	void enterpriseWhenAssessmentValidThenPassesAndLowScoreRejected() throws Exception {
		String good = "ent-" + UUID.randomUUID();
		String bot = "ent-" + UUID.randomUUID();
		stub.stubFor(post(urlPathEqualTo("/v1/projects/my-project/assessments"))
			.withHeader("X-Goog-Api-Key", equalTo("api-key-value"))
			.withRequestBody(matchingJsonPath("$.event.token", equalTo(good)))
			.willReturn(json("{\"tokenProperties\":{\"valid\":true,\"action\":\"login\",\"hostname\":\"example.com\","
					+ "\"createTime\":\"" + Instant.now() + "\"},\"riskAnalysis\":{\"score\":0.9}}")));
		stub.stubFor(post(urlPathEqualTo("/v1/projects/my-project/assessments"))
			.withRequestBody(matchingJsonPath("$.event.token", equalTo(bot)))
			.willReturn(json("{\"tokenProperties\":{\"valid\":true,\"action\":\"login\",\"createTime\":\""
					+ Instant.now() + "\"},\"riskAnalysis\":{\"score\":0.1}}")));
		assertPassed(postForm("/api/ent", "g-recaptcha-response", good));
		stub.verify(postRequestedFor(urlPathEqualTo("/v1/projects/my-project/assessments"))
			.withRequestBody(matchingJsonPath("$.event.siteKey", equalTo("ent-site-key")))
			.withRequestBody(matchingJsonPath("$.event.expectedAction", equalTo("login")))
			.withRequestBody(matchingJsonPath("$.event.userAgent", equalTo("captcha-security-test")))
			.withRequestBody(matchingJsonPath("$.event.userIpAddress", equalTo("127.0.0.1"))));
		assertRejected(postForm("/api/ent", "g-recaptcha-response", bot), 403, "captcha_low_score");
	}

	@Test
	void friendlyWhenSuccessThenPassesAndDuplicateExpired() throws Exception {
		String good = "frc-" + UUID.randomUUID();
		String dupe = "frc-" + UUID.randomUUID();
		stub.stubFor(post("/api/v2/captcha/siteverify").withHeader("X-API-Key", equalTo("frc-key"))
			.withRequestBody(matchingJsonPath("$.response", equalTo(good)))
			.withRequestBody(matchingJsonPath("$.sitekey", equalTo("frc-site")))
			.willReturn(json("{\"success\":true,\"data\":{\"event_id\":\"ev_1\",\"challenge\":{\"timestamp\":\""
					+ Instant.now() + "\",\"origin\":\"https://example.com\"}}}")));
		stub.stubFor(post("/api/v2/captcha/siteverify").withRequestBody(matchingJsonPath("$.response", equalTo(dupe)))
			.willReturn(
					json("{\"success\":false,\"error\":{\"error_code\":\"response_duplicate\",\"detail\":\"x\"}}")));
		assertPassed(postForm("/api/frc", "frc-captcha-response", good));
		assertRejected(postForm("/api/frc", "frc-captcha-response", dupe), 403, "captcha_expired");
	}

	@Test
	void friendlyWhenApiKeyRejectedThen503() throws Exception {
		stub.stubFor(post("/api/v2/captcha/siteverify").willReturn(aResponse().withStatus(401)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"success\":false,\"error\":{\"error_code\":\"auth_invalid\",\"detail\":\"x\"}}")));
		assertRejected(postForm("/api/frc", "frc-captcha-response", "frc-" + UUID.randomUUID()), 503,
				"captcha_provider_unavailable");
	}

	@Test
	void multiProviderRouteWhenTurnstileFieldThenTurnstileVerifies() throws Exception {
		assertPassed(postForm("/api/multi", "cf-turnstile-response", DUMMY));
		stub.verify(1, postRequestedFor(urlPathEqualTo("/turnstile/siteverify")));
	}

	@Test
	void multiProviderRouteWhenBuiltinFieldThenBuiltinVerifiesWithoutCallingCloudflare() throws Exception {
		HttpResponse<String> response = postForm("/api/multi", "captcha-token", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA");
		assertRejected(response, 403, "captcha_invalid");
		stub.verify(0, postRequestedFor(urlPathEqualTo("/turnstile/siteverify")));
	}

	@Test
	void multiProviderRouteWhenHeaderTokenAndProviderHintThenHintedProviderVerifies() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/multi"))
			.header("X-Captcha-Token", "eyJhbGciOiJIUzI1NiJ9.e30.BBBB")
			.header("X-Captcha-Provider", "local")
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertRejected(response, 403, "captcha_invalid");
		stub.verify(0, postRequestedFor(urlPathEqualTo("/turnstile/siteverify")));
	}

	@Test
	void failOpenRouteWhenProviderDownThenPassesButFailClosedRouteAnswers503() throws Exception {
		assertPassed(postForm("/api/fail-open", "g-recaptcha-response", "tok-" + UUID.randomUUID()));
		assertRejected(postForm("/api/fail-closed", "g-recaptcha-response", "tok-" + UUID.randomUUID()), 503,
				"captcha_provider_unavailable");
	}

	@Test
	void providersWhenConfiguredThenEachHasItsCapFieldAndScoring() {
		ProviderPolicy turnstile = this.service.provider("ts-pass");
		assertThat(turnstile.maxTokenLength()).isEqualTo(2048);
		assertThat(turnstile.formField()).isEqualTo("cf-turnstile-response");
		assertThat(turnstile.tokenLifetime()).isEqualTo(Duration.ofSeconds(300));
		assertThat(turnstile.scored()).isFalse();
		assertThat(this.service.provider("hc").maxTokenLength()).isEqualTo(32 * 1024);
		assertThat(this.service.provider("hc").scored()).isFalse();
		assertThat(this.service.provider("hce").scored()).isTrue();
		assertThat(this.service.provider("frc").maxTokenLength()).isEqualTo(16 * 1024);
		assertThat(this.service.provider("frc").formField()).isEqualTo("frc-captcha-response");
		assertThat(this.service.provider("google").maxTokenLength()).isEqualTo(4096);
		assertThat(this.service.provider("ent").scored()).isTrue();
		assertThat(this.service.provider("cl").formField()).isEqualTo("captchala-token");
	}

	private HttpResponse<String> postForm(String path, String field, String token) throws Exception {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("message=hi&" + field + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8))));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(
				request.header("User-Agent", "captcha-security-test").timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static ResponseDefinitionBuilder json(String body) {
		return aResponse().withHeader("Content-Type", "application/json").withBody(body);
	}

	private static Map<String, String> form(String body) {
		return Arrays.stream(body.split("&"))
			.map((pair) -> pair.split("=", 2))
			.collect(Collectors.toMap((pair) -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
					(pair) -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8), (a, b) -> a));
	}

	private static void assertPassed(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"passed\"");
	}

	private static void assertRejected(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).contains("\"code\":\"" + code + "\"");
	}

}
