package io.github.captchasecurity.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: a real Tomcat, the auto-configured filter, and a reCAPTCHA siteverify stub
 * on 127.0.0.1.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"captcha.default-provider=google", "captcha.providers.google.type=recaptcha",
		"captcha.providers.google.secret=test-secret", "captcha.providers.google.hostnames=example.com",
		"captcha.providers.down.type=recaptcha", "captcha.providers.down.secret=x",
		"captcha.providers.down.verify-url=http://127.0.0.1:1/siteverify", "captcha.routes[0].path=/api/contact",
		"captcha.routes[0].methods=POST", "captcha.routes[0].action=contact", "captcha.routes[1].path=/api/form",
		"captcha.routes[1].methods=POST", "captcha.routes[2].path=/api/report/{id}", "captcha.routes[2].methods=GET",
		"captcha.routes[3].path=/api/scored", "captcha.routes[3].min-score=0.7", "captcha.token.max-body=1KB",
		"captcha.http.response-timeout=500ms", "logging.level.io.github.captchasecurity=debug",
		"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
class CaptchaFilterIntegrationTests {

	private static final WireMockServer provider = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private static final JsonMapper json = JsonMapper.builder().build();

	static {
		provider.start();
		warmUp();
	}

	/**
	 * One request to the stub before the tests: its first answer (Jetty and request
	 * matching warming up) can take longer than the 500 ms response timeout on a busy
	 * machine, which would turn the first test into a 503.
	 */
	private static void warmUp() {
		try {
			HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(provider.baseUrl() + "/siteverify"))
					.timeout(Duration.ofSeconds(30))
					.POST(HttpRequest.BodyPublishers.ofString("response=warm-up"))
					.build(), HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@LocalServerPort
	int port;

	/** How many times a controller ran while the last request was handled. */
	private static int lastControllerCalls;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void providerUrl(DynamicPropertyRegistry registry) {
		registry.add("captcha.providers.google.verify-url", () -> provider.baseUrl() + "/siteverify");
	}

	@AfterAll
	static void stopProvider() {
		provider.stop();
	}

	/**
	 * Whether one verification already ran in this JVM (warming up the stub server and
	 * the HTTP client).
	 */
	private static boolean warmedUp;

	@BeforeEach
	void reset() throws Exception {
		if (!warmedUp) {
			// on a loaded machine the very first provider call can take longer than the
			// 500 ms response timeout
			warmedUp = true;
			postJson("/api/contact", "{}", pass("contact"));
		}
		provider.resetAll();
		TestApplication.calls.set(0);
	}

	@Test
	void contactWhenValidTokenInJsonThenControllerReadsWholeBody() throws Exception {
		String token = pass("contact");
		String body = "{\"message\":\"héllo\",\"captchaToken\":\"" + token + "\",\"n\":[1,2,3]}";
		HttpResponse<String> response = postJson("/api/contact", body, null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response).get("body").stringValue()).isEqualTo(body);
		assertThat(read(response).get("score").doubleValue()).isEqualTo(0.9);
		provider.verify(1,
				postRequestedFor(urlEqualTo("/siteverify")).withRequestBody(containing("secret=test-secret"))
					.withRequestBody(containing("response=" + token))
					.withRequestBody(containing("remoteip=127.0.0.1")));
		assertThat(TestApplication.calls).hasValue(1);
	}

	@Test
	void contactWhenNoTokenThenMissingAndProviderNotAsked() throws Exception {
		assertRejected(postJson("/api/contact", "{\"message\":\"hi\"}", null), 400, "captcha_missing");
		provider.verify(0, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void contactWhenTokenTooLongThenMalformed() throws Exception {
		assertRejected(postJson("/api/contact", "{}", "a".repeat(4097)), 400, "captcha_malformed");
		provider.verify(0, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void contactWhenTwoDifferentTokensThenMalformed() throws Exception {
		String token = pass("contact");
		assertRejected(postJson("/api/contact", "{\"captchaToken\":\"" + token + "\"}", "other-token"), 400,
				"captcha_malformed");
	}

	@Test
	void contactWhenSameTokenInHeaderAndBodyThenPasses() throws Exception {
		String token = pass("contact");
		assertThat(postJson("/api/contact", "{\"captchaToken\":\"" + token + "\"}", token).statusCode()).isEqualTo(200);
	}

	@Test
	void contactWhenProviderRejectsThenInvalid() throws Exception {
		String token = stub("{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}");
		assertRejected(postJson("/api/contact", "{}", token), 403, "captcha_invalid");
	}

	@Test
	void contactWhenUnknownErrorCodeThenInvalid() throws Exception {
		String token = stub("{\"success\":false,\"error-codes\":[\"brand-new-code\"]}");
		assertRejected(postJson("/api/contact", "{}", token), 403, "captcha_invalid");
	}

	@Test
	void contactWhenTokenUsedTwiceThenReplayedWithoutAskingProviderAgain() throws Exception {
		String token = pass("contact");
		assertThat(postJson("/api/contact", "{}", token).statusCode()).isEqualTo(200);
		assertRejected(postJson("/api/contact", "{}", token), 403, "captcha_replayed");
		provider.verify(1, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void contactWhenProviderSaysTimeoutOrDuplicateThenExpired() throws Exception {
		String token = stub("{\"success\":false,\"error-codes\":[\"timeout-or-duplicate\"]}");
		assertRejected(postJson("/api/contact", "{}", token), 403, "captcha_expired");
	}

	@Test
	void contactWhenChallengeTooOldThenExpired() throws Exception {
		String token = stub("{\"success\":true,\"hostname\":\"example.com\",\"action\":\"contact\",\"challenge_ts\":\""
				+ Instant.now().minus(Duration.ofMinutes(5)) + "\"}");
		assertRejected(postJson("/api/contact", "{}", token), 403, "captcha_expired");
	}

	@Test
	void contactWhenActionDiffersThenActionMismatch() throws Exception {
		String token = pass("login");
		assertRejected(postJson("/api/contact", "{}", token), 403, "captcha_action_mismatch");
	}

	@Test
	void contactWhenHostnameNotAllowedThenHostnameMismatch() throws Exception {
		String token = stub(
				"{\"success\":true,\"hostname\":\"evil.example.net\",\"action\":\"contact\",\"challenge_ts\":\""
						+ Instant.now() + "\"}");
		assertRejected(postJson("/api/contact", "{}", token), 403, "captcha_hostname_mismatch");
	}

	@Test
	void scoredRouteWhenScoreBelowMinimumThenLowScore() throws Exception {
		String token = stub(scored("scored", 0.3));
		assertRejected(postJson("/api/scored", "{}", token), 403, "captcha_low_score");
	}

	@Test
	void scoredRouteWhenNoScoreThenLowScore() throws Exception {
		String token = stub(
				"{\"success\":true,\"hostname\":\"example.com\",\"challenge_ts\":\"" + Instant.now() + "\"}");
		assertRejected(postJson("/api/scored", "{}", token), 403, "captcha_low_score");
	}

	@Test
	void contactWhenProviderAnswers500ThenUnavailable() throws Exception {
		String token = "tok-" + UUID.randomUUID();
		provider.stubFor(post("/siteverify").withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withStatus(500).withBody("oops")));
		HttpResponse<String> response = postJson("/api/contact", "{}", token);
		assertRejected(response, 503, "captcha_provider_unavailable");
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
	}

	@Test
	void contactWhenProviderAnswersHtmlThenUnavailable() throws Exception {
		String token = "tok-" + UUID.randomUUID();
		provider.stubFor(post("/siteverify").withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>")));
		assertRejected(postJson("/api/contact", "{}", token), 503, "captcha_provider_unavailable");
	}

	@Test
	void contactWhenProviderSlowThenUnavailableWithinTimeout() throws Exception {
		String token = "tok-" + UUID.randomUUID();
		provider.stubFor(post("/siteverify").withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withFixedDelay(5000).withBody(scored("contact", 0.9))));
		long start = System.nanoTime();
		assertRejected(postJson("/api/contact", "{}", token), 503, "captcha_provider_unavailable");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void contactWhenProviderUnavailableThenSameTokenMayBeRetried() throws Exception {
		String token = "tok-" + UUID.randomUUID();
		provider.stubFor(post("/siteverify").withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withStatus(502)));
		assertRejected(postJson("/api/contact", "{}", token), 503, "captcha_provider_unavailable");
		provider.stubFor(post("/siteverify").withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(scored("contact", 0.9))));
		assertThat(postJson("/api/contact", "{}", token).statusCode()).isEqualTo(200);
	}

	@Test
	void annotatedWhenProviderRefusesConnectionsThenUnavailable() throws Exception {
		assertRejected(postJson("/api/down", "{}", "tok-" + UUID.randomUUID()), 503, "captcha_provider_unavailable");
	}

	@Test
	void contactWhenBodyLargerThanLimitThen413() throws Exception {
		String token = pass("contact");
		String big = "{\"captchaToken\":\"" + token + "\",\"pad\":\"" + "x".repeat(2000) + "\"}";
		assertRejected(postJson("/api/contact", big, null), 413, "captcha_body_too_large");
	}

	@Test
	void formWhenTokenInFormFieldThenPasses() throws Exception {
		String token = pass(null);
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/form"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("message=hi&g-recaptcha-response=" + token)));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response).get("message").stringValue()).isEqualTo("hi");
	}

	@Test
	void formWhenTokenOnlyInQueryStringThenMissing() throws Exception {
		String token = pass(null);
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/form?captcha-token=" + token))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("message=hi")));
		assertRejected(response, 400, "captcha_missing");
	}

	@Test
	void contactPathVariantsThenNeverReachControllerWithoutToken() throws Exception {
		for (String path : new String[] { "/api/contact/", "//api/contact", "/api//contact", "/api/contact;x=1",
				"/api;a=b/contact", "/api/%63ontact", "/API/Contact", "/api/./contact", "/api/x/../contact",
				"/api/contact/;jsessionid=1" }) {
			HttpResponse<String> response = postJson(path, "{\"message\":\"hi\"}", null);
			assertThat(response.statusCode()).as(path).isNotEqualTo(200);
		}
		assertThat(TestApplication.calls).hasValue(0);
	}

	@Test
	void getRouteWhenHeadRequestThenAlsoProtected() throws Exception {
		HttpResponse<String> head = send(
				HttpRequest.newBuilder(uri("/api/report/7")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(head.statusCode()).isEqualTo(400);
		HttpResponse<String> get = send(HttpRequest.newBuilder(uri("/api/report/7")).GET());
		assertRejected(get, 400, "captcha_missing");
		assertThat(TestApplication.calls).hasValue(0);
		String token = pass(null);
		assertThat(
				send(HttpRequest.newBuilder(uri("/api/report/7")).header("X-Captcha-Token", token).GET()).statusCode())
			.isEqualTo(200);
	}

	@Test
	void unprotectedRouteThenNoCheck() throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri("/api/open")).GET()).statusCode()).isEqualTo(200);
		provider.verify(0, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void annotatedMethodWhenValidTokenInHeaderThenPasses() throws Exception {
		String token = pass("signup");
		HttpResponse<String> response = postJson("/api/signup", "{\"username\":\"bob\"}", token);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response).get("created").stringValue()).isEqualTo("bob");
	}

	@Test
	void annotatedMethodWhenNoTokenThenMissingAndControllerNeverRuns() throws Exception {
		assertRejected(postJson("/api/signup", "{\"username\":\"bob\"}", null), 400, "captcha_missing");
		assertRejected(postJson("/api/sign%75p", "{\"username\":\"bob\"}", null), 400, "captcha_missing");
		assertThat(TestApplication.calls).hasValue(0);
	}

	@Test
	void annotatedMethodWhenWrongActionThenActionMismatch() throws Exception {
		assertRejected(postJson("/api/signup", "{}", pass("contact")), 403, "captcha_action_mismatch");
	}

	@Test
	void metaAnnotationWhenScoreBelowItsMinimumThenLowScore() throws Exception {
		assertRejected(postJson("/api/checkout", "{}", stub(scored("checkout", 0.8))), 403, "captcha_low_score");
		assertThat(postJson("/api/checkout", "{}", stub(scored("checkout", 0.95))).statusCode()).isEqualTo(200);
	}

	@Test
	void classAnnotationThenAppliesAndMethodAnnotationWins() throws Exception {
		assertRejected(postJson("/api/account/password", "{}", null), 400, "captcha_missing");
		assertThat(postJson("/api/account/password", "{}", pass("account")).statusCode()).isEqualTo(200);
		assertRejected(postJson("/api/account/delete", "{}", pass("account")), 403, "captcha_action_mismatch");
		assertThat(postJson("/api/account/delete", "{}", pass("delete")).statusCode()).isEqualTo(200);
	}

	@Test
	void rejectionThenResponseNeverContainsTheTokenOrSecret() throws Exception {
		String token = stub("{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}");
		HttpResponse<String> response = postJson("/api/contact", "{}", token);
		assertThat(response.body()).doesNotContain(token).doesNotContain("test-secret");
	}

	private String pass(String action) {
		return stub(scored(action, 0.9));
	}

	private static String scored(String action, double score) {
		return "{\"success\":true,\"score\":" + score + ",\"hostname\":\"example.com\","
				+ ((action != null) ? "\"action\":\"" + action + "\"," : "") + "\"challenge_ts\":\"" + Instant.now()
				+ "\"}";
	}

	private String stub(String answer) {
		String token = "tok-" + UUID.randomUUID();
		provider.stubFor(post("/siteverify").withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answer)));
		return token;
	}

	private HttpResponse<String> postJson(String path, String body, String headerToken)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (headerToken != null) {
			request.header("X-Captcha-Token", headerToken);
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		int before = TestApplication.calls.get();
		HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		lastControllerCalls = TestApplication.calls.get() - before;
		return response;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static JsonNode read(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	private static void assertRejected(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = read(response);
		assertThat(problem.get("code").stringValue()).isEqualTo(code);
		assertThat(problem.get("status").intValue()).isEqualTo(status);
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:captcha-security:error:" + code);
		assertThat(problem.get("title").stringValue()).isNotBlank();
		assertThat(lastControllerCalls).as("controller calls during the rejected request").isZero();
	}

	static {
		WireMock.configureFor("127.0.0.1", provider.port());
	}

}
