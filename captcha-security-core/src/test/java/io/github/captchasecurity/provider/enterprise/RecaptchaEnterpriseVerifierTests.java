package io.github.captchasecurity.provider.enterprise;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.provider.ProviderTestServer;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RecaptchaEnterpriseVerifier} against a createAssessment stub on
 * 127.0.0.1 answering with the proto3 JSON of an {@code Assessment}.
 */
class RecaptchaEnterpriseVerifierTests {

	private static final String PROJECT = "my-project-123";

	private static final String PATH = "/v1/projects/" + PROJECT + "/assessments";

	private static final String NAME = "enterprise";

	private static final String API_KEY = "AIzaSyD-our-own-api-key-for-tests";

	private static final String SITE_KEY = "6LdEnterpriseSiteKeyForTests0000000000";

	private static final String TOKEN = "03AFcWeA5pY8TtWq-enterprise-token-0123456789";

	private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

	private static final String VALID = "{\"name\": \"projects/123456/assessments/abcdef\", "
			+ "\"event\": {\"token\": \"" + TOKEN + "\", \"siteKey\": \"" + SITE_KEY + "\"}, "
			+ "\"riskAnalysis\": {\"score\": 0.9, \"reasons\": [], \"extendedVerdictReasons\": [], "
			+ "\"challenge\": \"NOCAPTCHA\"}, "
			+ "\"tokenProperties\": {\"valid\": true, \"invalidReason\": \"INVALID_REASON_UNSPECIFIED\", "
			+ "\"hostname\": \"www.example.com\", \"androidPackageName\": \"\", \"iosBundleId\": \"\", "
			+ "\"action\": \"login\", \"createTime\": \"2024-05-01T10:15:30.123456Z\"}, "
			+ "\"accountDefenderAssessment\": {\"labels\": []}}";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	private static final WireMockServer server = stub.server();

	private RecaptchaEnterpriseVerifier verifier;

	@BeforeEach
	void setUp() {
		this.verifier = new RecaptchaEnterpriseVerifier(NAME, assessmentsUrl(), API_KEY, SITE_KEY, stub.client());
	}

	// --- request shape ---

	@Test
	void verifyWhenCalledThenPostsAssessmentEventJsonWithApiKeyHeader() {
		stubAnswer(VALID);

		this.verifier.verify(request(TOKEN, "203.0.113.9", "login", USER_AGENT));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH)).withHeader("Content-Type", containing("application/json"))
					.withHeader("X-Goog-Api-Key", equalTo(API_KEY))
					.withRequestBody(equalToJson("{\"event\": {\"token\": \"" + TOKEN + "\", \"siteKey\": \"" + SITE_KEY
							+ "\", \"expectedAction\": \"login\", \"userIpAddress\": \"203.0.113.9\", \"userAgent\": \""
							+ USER_AGENT + "\"}}")));
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenCalledThenApiKeyNeverInUrl() {
		stubAnswer(VALID);

		this.verifier.verify(request(TOKEN, "203.0.113.9", "login", USER_AGENT));

		LoggedRequest sent = stub.onlyRequest();
		assertThat(sent.getUrl()).isEqualTo(PATH).doesNotContain("key=").doesNotContain(API_KEY).doesNotContain(TOKEN);
		assertThat(sent.getQueryParams()).isEmpty();
		assertThat(sent.getBodyAsString()).doesNotContain(API_KEY);
	}

	@Test
	void verifyWhenNoActionIpOrUserAgentThenOnlyTokenAndSiteKeySent() {
		stubAnswer(VALID);

		this.verifier.verify(request(TOKEN, null, null, null));

		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(
				equalToJson("{\"event\": {\"token\": \"" + TOKEN + "\", \"siteKey\": \"" + SITE_KEY + "\"}}")));
	}

	@Test
	void verifyThroughEngineWhenContextHasUserAgentThenSentInEvent() {
		stubAnswer(VALID);
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, this.verifier, Set.of(), 0.5, Duration.ofDays(36500),
					RecaptchaEnterpriseVerifier.TOKEN_LIFETIME, 4000, true, RecaptchaEnterpriseVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult result = service.verifyWithContext(new CaptchaRule(NAME, "login", null), TOKEN,
				new VerificationContext("198.51.100.7", USER_AGENT, Set.of("g-recaptcha-response"), null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.score()).isEqualTo(0.9);
		server.verify(1,
				postRequestedFor(urlEqualTo(PATH))
					.withRequestBody(matchingJsonPath("$.event.userAgent", equalTo(USER_AGENT)))
					.withRequestBody(matchingJsonPath("$.event.userIpAddress", equalTo("198.51.100.7")))
					.withRequestBody(matchingJsonPath("$.event.expectedAction", equalTo("login"))));
	}

	// --- verdicts ---

	@Test
	void verifyWhenValidThenPassedWithScoreActionHostnameAndCreateTime() {
		stubAnswer(VALID);

		VerificationResult result = this.verifier.verify(request(TOKEN, null, "login", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.score()).isEqualTo(0.9);
		assertThat(result.rawScore()).isEqualTo(0.9);
		assertThat(result.action()).isEqualTo("login");
		assertThat(result.hostname()).isEqualTo("www.example.com");
		assertThat(result.challengeTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:15:30.123456Z"));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "EXPIRED, EXPIRED", "DUPE, EXPIRED", "MALFORMED, INVALID", "BROWSER_ERROR, INVALID",
			"UNKNOWN_INVALID_REASON, INVALID", "MISSING, INVALID", "INVALID_REASON_UNSPECIFIED, INVALID",
			"SOME_REASON_GOOGLE_ADDS_NEXT_YEAR, INVALID" })
	void verifyWhenInvalidReasonThenMappedOutcomeAndReasonReturned(String reason, VerificationOutcome expected) {
		stubAnswer("{\"tokenProperties\": {\"valid\": false, \"invalidReason\": \"" + reason + "\"}, "
				+ "\"riskAnalysis\": {\"score\": 0.0}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.errorCodes()).containsExactly(reason);
	}

	@Test
	void verifyWhenNotValidWithoutReasonThenInvalid() {
		stubAnswer("{\"tokenProperties\": {\"valid\": false}, \"riskAnalysis\": {}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"{\"tokenProperties\": {\"hostname\": \"www.example.com\", \"action\": \"login\"}, "
					+ "\"riskAnalysis\": {\"score\": 0.9}}",
			"{\"riskAnalysis\": {\"score\": 0.9}}", "{}",
			"{\"tokenProperties\": {\"valid\": \"true\"}, \"riskAnalysis\": {\"score\": 0.9}}",
			"{\"tokenProperties\": true, \"riskAnalysis\": {\"score\": 0.9}}" })
	void verifyWhenValidMissingOrNotBooleanThenInvalid(String body) {
		stubAnswer(body);

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"tokenProperties\": {\"valid\": true, \"action\": \"login\"}}",
			"{\"tokenProperties\": {\"valid\": true}, \"riskAnalysis\": {}}",
			"{\"tokenProperties\": {\"valid\": true}, \"riskAnalysis\": {\"score\": null}}" })
	void verifyWhenScoreMissingThenZero(String body) {
		stubAnswer(body);

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.score()).isEqualTo(0.0);
		assertThat(result.rawScore()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"0.9\"", "1.5", "-0.1", "true" })
	void verifyWhenValidAndScoreNotBetweenZeroAndOneThenUnavailable(String score) {
		stubAnswer("{\"tokenProperties\": {\"valid\": true}, \"riskAnalysis\": {\"score\": " + score + "}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyThroughEngineWhenScoreMissingAndMinScoreThenLowScore() {
		stubAnswer("{\"tokenProperties\": {\"valid\": true, \"action\": \"login\"}}");
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, this.verifier, Set.of(), 0.5, Duration.ofMinutes(2),
					RecaptchaEnterpriseVerifier.TOKEN_LIFETIME, 4000, true, RecaptchaEnterpriseVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult result = service.verify(new CaptchaRule(NAME, "login", null), TOKEN, null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.LOW_SCORE);
		assertThat(result.score()).isEqualTo(0.0);
	}

	// --- transport and configuration errors ---

	@ParameterizedTest(name = "HTTP {0}")
	@CsvSource(delimiter = '|', value = {
			"400 | {\"error\": {\"code\": 400, \"message\": \"Request contains an invalid argument.\", \"status\": \"INVALID_ARGUMENT\"}}",
			"401 | {\"error\": {\"code\": 401, \"message\": \"API keys are not supported by this API.\", \"status\": \"UNAUTHENTICATED\"}}",
			"403 | {\"error\": {\"code\": 403, \"message\": \"Permission denied.\", \"status\": \"PERMISSION_DENIED\"}}",
			"404 | {\"error\": {\"code\": 404, \"message\": \"Project not found.\", \"status\": \"NOT_FOUND\"}}",
			"429 | {\"error\": {\"code\": 429, \"message\": \"Quota exceeded.\", \"status\": \"RESOURCE_EXHAUSTED\"}}",
			"500 | {\"error\": {\"code\": 500, \"message\": \"Internal error.\", \"status\": \"INTERNAL\"}}",
			"503 | Service Unavailable" })
	void verifyWhenErrorStatusThenProviderUnavailable(int status, String body) {
		server.stubFor(post(urlEqualTo(PATH))
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "[]", "\"assessment\"" })
	void verifyWhenBodyNotAnAssessmentThenProviderUnavailable(String body) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(body)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@ParameterizedTest
	@EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE" })
	void verifyWhenConnectionDroppedThenProviderUnavailableWithoutRetry(Fault fault) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenConnectionRefusedThenProviderUnavailable() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		RecaptchaEnterpriseVerifier unreachable = new RecaptchaEnterpriseVerifier(NAME,
				URI.create("http://127.0.0.1:" + port + PATH), API_KEY, SITE_KEY, stub.client());

		VerificationResult result = unreachable.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	// --- URL template ---

	@Test
	void assessmentsUrlWhenDefaultTemplateThenProjectInserted() {
		URI url = RecaptchaEnterpriseVerifier.assessmentsUrl(RecaptchaEnterpriseVerifier.DEFAULT_VERIFY_URL, PROJECT);

		assertThat(url)
			.hasToString("https://recaptchaenterprise.googleapis.com/v1/projects/my-project-123/assessments");
	}

	@Test
	void assessmentsUrlWhenCustomTemplateThenUsedForTheCall() {
		stubAnswer(VALID);
		URI url = RecaptchaEnterpriseVerifier
			.assessmentsUrl("http://127.0.0.1:" + server.port() + "/v1/projects/{project}/assessments", PROJECT);
		RecaptchaEnterpriseVerifier templated = new RecaptchaEnterpriseVerifier(NAME, url, API_KEY, SITE_KEY,
				stub.client());

		VerificationResult result = templated.verify(request(TOKEN, null, null, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	@Test
	void assessmentsUrlWhenProjectIdHasPathCharactersThenEncoded() {
		URI url = RecaptchaEnterpriseVerifier.assessmentsUrl(RecaptchaEnterpriseVerifier.DEFAULT_VERIFY_URL,
				"../other?x=1");

		assertThat(url.getRawPath()).isEqualTo("/v1/projects/..%2Fother%3Fx%3D1/assessments");
		assertThat(url.getRawQuery()).isNull();
	}

	@Test
	void assessmentsUrlWhenProjectPlaceholderUsedThenNoQueryAdded() {
		stubAnswer(VALID);

		this.verifier.verify(request(TOKEN, null, null, null));

		server.verify(1, postRequestedFor(urlPathEqualTo(PATH)));
		assertThat(stub.onlyRequest().getUrl()).doesNotContain("?");
	}

	// --- construction ---

	@ParameterizedTest
	@CsvSource({ "'', site", "' ', site", "key, ''", "key, ' '" })
	void constructorWhenApiKeyOrSiteKeyBlankThenIllegalArgumentException(String apiKey, String siteKey) {
		CaptchaHttpClient http = stub.client();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RecaptchaEnterpriseVerifier(NAME, assessmentsUrl(), apiKey, siteKey, http));
	}

	@Test
	void toStringWhenCalledThenApiKeyNotShown() {
		assertThat(this.verifier.toString()).contains(NAME).doesNotContain(API_KEY);
	}

	// --- helpers ---

	private static URI assessmentsUrl() {
		return stub.url(PATH);
	}

	private static void stubAnswer(String json) {
		server.stubFor(post(urlEqualTo(PATH)).withHeader("X-Goog-Api-Key", equalTo(API_KEY)).willReturn(okJson(json)));
	}

	private static VerificationRequest request(String token, String clientIp, String action, String userAgent) {
		return new VerificationRequest(token, clientIp, action, Set.of(), null, Duration.ofMinutes(2), userAgent,
				false);
	}

}
