package io.github.captchasecurity.provider.friendly;

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
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FriendlyCaptchaVerifier} against a v2 siteverify stub on 127.0.0.1
 * answering as Friendly Captcha documents: token verdicts with HTTP 200, configuration
 * errors with 400/401.
 */
class FriendlyCaptchaVerifierTests {

	private static final String PATH = "/api/v2/captcha/siteverify";

	private static final String NAME = "friendly";

	private static final String API_KEY = "A1B2C3D4E5F6-our-own-api-key";

	private static final String SITE_KEY = "FCMGEMUD2KTDSQ5H";

	private static final String TOKEN = "frc_v2.AAAABBBBCCCCDDDD.eyJzIjoiRkNNR0VNVUQyS1REU1E1SCJ9.sig";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	private static final WireMockServer server = stub.server();

	private FriendlyCaptchaVerifier verifier;

	@BeforeEach
	void setUp() {
		this.verifier = new FriendlyCaptchaVerifier(NAME, verifyUrl(), API_KEY, SITE_KEY, stub.client());
	}

	// --- request shape ---

	@Test
	void verifyWhenCalledThenPostsJsonResponseAndSitekeyWithApiKeyHeader() {
		stubAnswer(success("example.com"));

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Content-Type", containing("application/json"))
			.withHeader("X-API-Key", equalTo(API_KEY))
			.withRequestBody(equalToJson("{\"response\": \"" + TOKEN + "\", \"sitekey\": \"" + SITE_KEY + "\"}")));
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenNoSiteKeyThenOnlyResponseSent() {
		stubAnswer(success("example.com"));
		FriendlyCaptchaVerifier anySiteKey = new FriendlyCaptchaVerifier(NAME, verifyUrl(), API_KEY, null,
				stub.client());

		anySiteKey.verify(request(TOKEN, null));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("{\"response\": \"" + TOKEN + "\"}")));
	}

	@Test
	void verifyWhenCalledThenApiKeyNeverInUrlOrBody() {
		stubAnswer(success("example.com"));

		this.verifier.verify(request(TOKEN, null));

		LoggedRequest sent = stub.onlyRequest();
		assertThat(sent.getUrl()).isEqualTo(PATH).doesNotContain(API_KEY).doesNotContain(TOKEN);
		assertThat(sent.getBodyAsString()).doesNotContain(API_KEY);
	}

	// --- success ---

	@ParameterizedTest
	@ValueSource(strings = { "example.com", "https://example.com", "https://example.com:8443",
			"https://example.com/contact?x=1", " https://example.com " })
	void verifyWhenSuccessThenOriginReportedAsHostnameAndTimestampParsed(String origin) {
		stubAnswer(success(origin));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.hostname()).isEqualTo("example.com");
		assertThat(result.challengeTimestamp()).isEqualTo(Instant.parse("2024-05-01T13:01:25Z"));
		assertThat(result.errorCodes()).isEmpty();
		assertThat(result.score()).isNull();
	}

	@Test
	void verifyWhenSuccessWithEmptyOriginThenNoHostname() {
		stubAnswer(success(""));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.hostname()).isNull();
	}

	@Test
	void verifyWhenSuccessWithoutDataThenPassedWithoutFacts() {
		stubAnswer("{\"success\": true}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.hostname()).isNull();
		assertThat(result.challengeTimestamp()).isNull();
	}

	@Test
	void verifyWhenSuccessThroughEngineWithHostnameAllowListThenOriginChecked() {
		stubAnswer(success("https://example.com"));
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, this.verifier, Set.of("example.com"), null, Duration.ofDays(36500),
					FriendlyCaptchaVerifier.TOKEN_LIFETIME, FriendlyCaptchaVerifier.MAX_TOKEN_LENGTH, false,
					FriendlyCaptchaVerifier.FORM_FIELD))
			.provider(new ProviderPolicy("elsewhere", this.verifier, Set.of("shop.example.org"), null,
					Duration.ofDays(36500), FriendlyCaptchaVerifier.TOKEN_LIFETIME,
					FriendlyCaptchaVerifier.MAX_TOKEN_LENGTH, false, FriendlyCaptchaVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult allowed = service.verify(new CaptchaRule(NAME, null, null), TOKEN, null);
		VerificationResult other = service.verify(new CaptchaRule("elsewhere", null, null), TOKEN + "2", null);

		assertThat(allowed.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(other.outcome()).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
	}

	// --- token rejections (HTTP 200, success false) ---

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "response_invalid, INVALID", "response_timeout, EXPIRED", "response_duplicate, EXPIRED",
			"some_code_friendly_adds_next_year, INVALID" })
	void verifyWhenSuccessFalseThenRejectedByErrorCode(String code, VerificationOutcome expected) {
		stubAnswer("{\"success\": false, \"error\": {\"error_code\": \"" + code + "\", \"detail\": \"details\"}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.errorCodes()).containsExactly(code);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"success\": false}", "{\"success\": false, \"error\": null}",
			"{\"success\": false, \"error\": \"response_timeout\"}",
			"{\"success\": false, \"error\": {\"detail\": \"no code\"}}" })
	void verifyWhenSuccessFalseWithoutReadableCodeThenInvalid(String body) {
		stubAnswer(body);

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).isEmpty();
	}

	// --- configuration errors (HTTP 400/401) ---

	@ParameterizedTest(name = "HTTP {0} {1}")
	@CsvSource({ "400, sitekey_invalid", "400, bad_request", "400, response_missing", "401, auth_required",
			"401, auth_invalid" })
	void verifyWhenConfigurationErrorThenProviderUnavailable(int status, String code) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"success\": false, \"error\": {\"error_code\": \"" + code + "\", \"detail\": \"d\"}}")));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	// --- transport ---

	@ParameterizedTest(name = "HTTP {0}: {1}")
	@CsvSource(delimiter = '|', value = { "500 | {\"success\": true}", "502 | <html>Bad Gateway</html>", "503 | ''",
			"405 | {\"success\": false, \"error\": {\"error_code\": \"method_not_allowed\"}}",
			"201 | {\"success\": true}", "200 | not json", "200 | {\"data\": {}}", "200 | {\"success\": \"true\"}" })
	void verifyWhenNoSiteverifyAnswerThenProviderUnavailable(int status, String body) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@ParameterizedTest
	@EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE" })
	void verifyWhenConnectionDroppedThenProviderUnavailableWithoutRetry(Fault fault) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenConnectionRefusedThenProviderUnavailable() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		FriendlyCaptchaVerifier unreachable = new FriendlyCaptchaVerifier(NAME,
				URI.create("http://127.0.0.1:" + port + PATH), API_KEY, SITE_KEY, stub.client());

		VerificationResult result = unreachable.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyThroughFailOpenRuleWhenProviderDownThenPassedAsFriendlyRecommends() {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, this.verifier, Set.of(), null, Duration.ofMinutes(10),
					FriendlyCaptchaVerifier.TOKEN_LIFETIME, FriendlyCaptchaVerifier.MAX_TOKEN_LENGTH, false,
					FriendlyCaptchaVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult open = service.verify(new CaptchaRule(NAME, null, null).withFailOpen(true), TOKEN, null);
		VerificationResult closed = service.verify(new CaptchaRule(NAME, null, null), TOKEN + "2", null);

		assertThat(open.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(open.errorCodes()).containsExactly(CaptchaVerificationService.FAIL_OPEN);
		assertThat(closed.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	// --- length cap ---

	@Test
	void engineWhenResponseLongerThan16KiloBytesThenMalformedWithoutAnyRequest() {
		stubAnswer(success("example.com"));
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, this.verifier, Set.of(), null, Duration.ofDays(36500),
					FriendlyCaptchaVerifier.TOKEN_LIFETIME, FriendlyCaptchaVerifier.MAX_TOKEN_LENGTH, false,
					FriendlyCaptchaVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult tooLong = service.verify(new CaptchaRule(NAME, null, null), "a".repeat(16 * 1024 + 1), null);
		VerificationResult longest = service.verify(new CaptchaRule(NAME, null, null), "b".repeat(16 * 1024), null);

		assertThat(tooLong.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(longest.outcome()).isEqualTo(VerificationOutcome.PASSED);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	// --- construction ---

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void constructorWhenApiKeyBlankThenIllegalArgumentException(String apiKey) {
		CaptchaHttpClient http = stub.client();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FriendlyCaptchaVerifier(NAME, verifyUrl(), apiKey, SITE_KEY, http));
	}

	@Test
	void toStringWhenCalledThenApiKeyNotShown() {
		assertThat(this.verifier.toString()).contains(NAME).doesNotContain(API_KEY);
	}

	@Test
	void constantsWhenReadThenMatchFriendlyCaptchaDocumentation() {
		assertThat(FriendlyCaptchaVerifier.DEFAULT_VERIFY_URL)
			.hasToString("https://global.frcapi.com/api/v2/captcha/siteverify");
		assertThat(FriendlyCaptchaVerifier.FORM_FIELD).isEqualTo("frc-captcha-response");
		assertThat(FriendlyCaptchaVerifier.MAX_TOKEN_LENGTH).isEqualTo(16 * 1024);
	}

	// --- helpers ---

	private static String success(String origin) {
		return "{\"success\": true, \"data\": {\"event_id\": \"ev_1a2b3c\", \"challenge\": {\"timestamp\": "
				+ "\"2024-05-01T13:01:25Z\", \"origin\": \"" + origin + "\"}, \"risk_intelligence\": null}}";
	}

	private static URI verifyUrl() {
		return stub.url(PATH);
	}

	private static void stubAnswer(String json) {
		server.stubFor(post(urlEqualTo(PATH)).withHeader("X-API-Key", equalTo(API_KEY)).willReturn(okJson(json)));
	}

	private static VerificationRequest request(String token, String clientIp) {
		return new VerificationRequest(token, clientIp, null, Set.of(), null, Duration.ofMinutes(10));
	}

}
