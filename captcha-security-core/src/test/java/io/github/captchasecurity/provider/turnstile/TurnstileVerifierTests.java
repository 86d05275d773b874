package io.github.captchasecurity.provider.turnstile;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
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
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TurnstileVerifier} against a siteverify stub on 127.0.0.1 that answers
 * as Cloudflare documents, including its test secrets and the retry with the same
 * idempotency key.
 */
class TurnstileVerifierTests {

	private static final String PATH = "/turnstile/v0/siteverify";

	private static final String NAME = "turnstile";

	private static final String SECRET = "0x4AAAAAAAOurOwnProductionSecretKey";

	private static final String TOKEN = "0.zTSnTXO2mTl5FYkRKDkbE2yN3Pp1HpjHjZ0Pz_cA4rQ.e2d7f3c1a9";

	/** The token Turnstile's test site keys produce. */
	private static final String DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

	private static final String ALWAYS_PASS_SECRET = "1x0000000000000000000000000000000AA";

	private static final String ALWAYS_FAIL_SECRET = "2x0000000000000000000000000000000AA";

	private static final String SPENT_SECRET = "3x0000000000000000000000000000000AA";

	private static final String SUCCESS = "{\"success\": true, \"error-codes\": [], "
			+ "\"challenge_ts\": \"2022-02-28T15:14:30.096Z\", \"hostname\": \"example.com\", \"action\": \"login\", "
			+ "\"cdata\": \"sessionid-123456789\", \"metadata\": {\"ephemeral_id\": \"x:9f78e0ed210960d7693b167e\"}}";

	private static final String INTERNAL_ERROR = "{\"success\": false, \"error-codes\": [\"internal-error\"]}";

	private static final String RETRY = "retry";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	private static final WireMockServer server = stub.server();

	private TurnstileVerifier verifier;

	@BeforeEach
	void setUp() {
		this.verifier = new TurnstileVerifier(NAME, verifyUrl(), SECRET, null, stub.client());
	}

	// --- request shape ---

	@Test
	void verifyWhenCalledThenPostsFormWithSecretResponseRemoteIpAndIdempotencyKey() {
		stubAnswer(SUCCESS);

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH))
					.withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
					.withFormParam("secret", equalTo(SECRET))
					.withFormParam("response", equalTo(TOKEN))
					.withFormParam("remoteip", equalTo("203.0.113.9")));
		Map<String, String> form = formOf(stub.onlyRequest());
		assertThat(form).containsOnlyKeys("secret", "response", "remoteip", "idempotency_key");
		String key = form.get("idempotency_key");
		assertThat(UUID.fromString(key)).hasToString(key);
	}

	@Test
	void verifyWhenNoClientIpThenRemoteIpNotSent() {
		stubAnswer(SUCCESS);

		this.verifier.verify(request(TOKEN, null));

		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withoutFormParam("remoteip"));
		assertThat(formOf(stub.onlyRequest())).containsOnlyKeys("secret", "response", "idempotency_key");
	}

	@Test
	void verifyWhenCalledThenSecretAndTokenNeverInUrl() {
		stubAnswer(SUCCESS);

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		LoggedRequest sent = stub.onlyRequest();
		assertThat(sent.getMethod().getName()).isEqualTo("POST");
		assertThat(sent.getUrl()).isEqualTo(PATH).doesNotContain(SECRET).doesNotContain(TOKEN);
	}

	@Test
	void verifyWhenTwoVerificationsThenEachHasItsOwnIdempotencyKey() {
		stubAnswer(SUCCESS);

		this.verifier.verify(request(TOKEN, null));
		this.verifier.verify(request(TOKEN + "2", null));

		List<String> keys = idempotencyKeys();
		assertThat(keys).hasSize(2).doesNotHaveDuplicates();
	}

	// --- answers ---

	@Test
	void verifyWhenSuccessThenPassedWithActionHostnameTimestampAndNoErrorCodes() {
		stubAnswer(SUCCESS);

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.action()).isEqualTo("login");
		assertThat(result.hostname()).isEqualTo("example.com");
		assertThat(result.challengeTimestamp()).isEqualTo(Instant.parse("2022-02-28T15:14:30.096Z"));
		assertThat(result.errorCodes()).isEmpty();
		assertThat(result.score()).isNull();
		assertThat(result.rawScore()).isNull();
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "invalid-input-response, INVALID", "missing-input-response, INVALID", "bad-request, INVALID",
			"timeout-or-duplicate, EXPIRED", "missing-input-secret, PROVIDER_UNAVAILABLE",
			"invalid-input-secret, PROVIDER_UNAVAILABLE", "some-code-cloudflare-adds-next-year, INVALID" })
	void verifyWhenErrorCodeThenMappedOutcomeCodeReturnedAndNoRetry(String errorCode, VerificationOutcome expected) {
		stubAnswer("{\"success\": false, \"error-codes\": [\"" + errorCode + "\"], \"messages\": []}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.errorCodes()).containsExactly(errorCode);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	// --- official test secrets ---

	@Test
	void verifyWhenAlwaysPassTestSecretWithDummyTokenThenPassed() {
		stubTestSecrets();
		TurnstileVerifier testKeys = new TurnstileVerifier(NAME, verifyUrl(), ALWAYS_PASS_SECRET, null, stub.client());

		VerificationResult result = testKeys.verify(request(DUMMY_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.action()).isEqualTo("test");
		assertThat(result.hostname()).isEqualTo("localhost");
		assertThat(result.errorCodes()).isEmpty();
	}

	@Test
	void verifyWhenAlwaysPassTestSecretWithCdataConfiguredThenTestDataMatches() {
		stubTestSecrets();
		TurnstileVerifier testKeys = new TurnstileVerifier(NAME, verifyUrl(), ALWAYS_PASS_SECRET, "test-data",
				stub.client());

		VerificationResult result = testKeys.verify(request(DUMMY_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenAlwaysFailTestSecretThenInvalid() {
		stubTestSecrets();
		TurnstileVerifier testKeys = new TurnstileVerifier(NAME, verifyUrl(), ALWAYS_FAIL_SECRET, null, stub.client());

		VerificationResult result = testKeys.verify(request(DUMMY_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).containsExactly("invalid-input-response");
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	@Test
	void verifyWhenSpentTestSecretThenExpired() {
		stubTestSecrets();
		TurnstileVerifier testKeys = new TurnstileVerifier(NAME, verifyUrl(), SPENT_SECRET, null, stub.client());

		VerificationResult result = testKeys.verify(request(DUMMY_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.EXPIRED);
		assertThat(result.errorCodes()).containsExactly("timeout-or-duplicate");
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	@Test
	void verifyWhenAlwaysPassTestSecretWithRealTokenThenInvalid() {
		// test secrets accept only the dummy token
		stubTestSecrets();
		TurnstileVerifier testKeys = new TurnstileVerifier(NAME, verifyUrl(), ALWAYS_PASS_SECRET, null, stub.client());

		VerificationResult result = testKeys.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenProductionSecretWithDummyTokenThenInvalid() {
		// production secrets reject the dummy token
		stubTestSecrets();

		VerificationResult result = this.verifier.verify(request(DUMMY_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).containsExactly("invalid-input-response");
	}

	// --- test mode ---

	@ParameterizedTest
	@ValueSource(strings = { ALWAYS_PASS_SECRET, ALWAYS_FAIL_SECRET, SPENT_SECRET })
	void isTestModeWhenOfficialTestSecretThenTrue(String secret) {
		assertThat(new TurnstileVerifier(NAME, verifyUrl(), secret, null, stub.client()).isTestMode()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { SECRET, "4x0000000000000000000000000000000AA", "1x00000000000000000000AA",
			"1x0000000000000000000000000000000AAx", "x1x0000000000000000000000000000000AA" })
	void isTestModeWhenOtherSecretThenFalse(String secret) {
		assertThat(new TurnstileVerifier(NAME, verifyUrl(), secret, null, stub.client()).isTestMode()).isFalse();
	}

	@Test
	void engineWhenTestSecretThenDummyTokenReusableAndFixedHostnameAndActionAccepted() {
		stubTestSecrets();
		TurnstileVerifier testKeys = new TurnstileVerifier(NAME, verifyUrl(), ALWAYS_PASS_SECRET, null, stub.client());
		CaptchaVerificationService service = service(testKeys, Set.of("shop.example.com"));
		CaptchaRule rule = new CaptchaRule(NAME, "login", null);

		VerificationResult first = service.verify(rule, DUMMY_TOKEN, null);
		VerificationResult second = service.verify(rule, DUMMY_TOKEN, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(first.hostname()).isEqualTo("localhost");
		assertThat(first.action()).isEqualTo("test");
		assertThat(second.outcome()).isEqualTo(VerificationOutcome.PASSED);
		server.verify(2, postRequestedFor(urlEqualTo(PATH)));
	}

	@Test
	void engineWhenTestSecretThatAlwaysFailsThenStillRejected() {
		stubTestSecrets();
		TurnstileVerifier testKeys = new TurnstileVerifier(NAME, verifyUrl(), ALWAYS_FAIL_SECRET, null, stub.client());
		CaptchaVerificationService service = service(testKeys, Set.of());

		VerificationResult result = service.verify(new CaptchaRule(NAME, null, null), DUMMY_TOKEN, null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void engineWhenProductionSecretThenReplayHostnameAndActionChecked() {
		stubAnswer(SUCCESS);
		CaptchaVerificationService service = service(this.verifier, Set.of("shop.example.com"));
		CaptchaVerificationService anyHost = service(this.verifier, Set.of());

		VerificationResult wrongHost = service.verify(new CaptchaRule(NAME, null, null), TOKEN, null);
		VerificationResult first = anyHost.verify(new CaptchaRule(NAME, "login", null), TOKEN + "2", null);
		VerificationResult replayed = anyHost.verify(new CaptchaRule(NAME, "login", null), TOKEN + "2", null);

		assertThat(wrongHost.outcome()).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
		assertThat(first.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(replayed.outcome()).isEqualTo(VerificationOutcome.REPLAYED);
		server.verify(2, postRequestedFor(urlEqualTo(PATH)));
	}

	// --- cdata ---

	@Test
	void verifyWhenCdataConfiguredAndEqualThenPassed() {
		stubAnswer(SUCCESS);
		TurnstileVerifier withCdata = new TurnstileVerifier(NAME, verifyUrl(), SECRET, "sessionid-123456789",
				stub.client());

		VerificationResult result = withCdata.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "other-session", "SESSIONID-123456789", "sessionid-12345678" })
	void verifyWhenCdataConfiguredAndDifferentThenInvalid(String expected) {
		stubAnswer(SUCCESS);
		TurnstileVerifier withCdata = new TurnstileVerifier(NAME, verifyUrl(), SECRET, expected, stub.client());

		VerificationResult result = withCdata.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ", \"cdata\": null", ", \"cdata\": 42" })
	void verifyWhenCdataConfiguredAndMissingFromAnswerThenInvalid(String cdata) {
		stubAnswer("{\"success\": true, \"error-codes\": [], \"hostname\": \"example.com\"" + cdata + "}");
		TurnstileVerifier withCdata = new TurnstileVerifier(NAME, verifyUrl(), SECRET, "sessionid-123456789",
				stub.client());

		VerificationResult result = withCdata.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenCdataNotConfiguredThenAnyCdataAccepted() {
		stubAnswer(SUCCESS);

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenCdataConfiguredButTokenRejectedThenProviderOutcomeKept() {
		stubAnswer("{\"success\": false, \"error-codes\": [\"timeout-or-duplicate\"]}");
		TurnstileVerifier withCdata = new TurnstileVerifier(NAME, verifyUrl(), SECRET, "sessionid-123456789",
				stub.client());

		VerificationResult result = withCdata.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	// --- retry with the same idempotency key ---

	@ParameterizedTest
	@EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE" })
	void verifyWhenFirstAttemptDroppedThenRetriedOnceWithSameIdempotencyKeyAndPassed(Fault fault) {
		server.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withFault(fault))
			.willSetStateTo("dropped"));
		server.stubFor(
				post(urlEqualTo(PATH)).inScenario(RETRY).whenScenarioStateIs("dropped").willReturn(okJson(SUCCESS)));

		VerificationResult result = this.verifier.verify(request(TOKEN, "203.0.113.9"));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.action()).isEqualTo("login");
		List<LoggedRequest> sent = server.findAll(postRequestedFor(urlEqualTo(PATH)));
		assertThat(sent).hasSize(2);
		assertThat(formOf(sent.get(1))).isEqualTo(formOf(sent.get(0)));
		assertSameIdempotencyKey(sent);
	}

	@Test
	void verifyWhenInternalErrorThenRetriedOnceWithSameIdempotencyKeyAndPassed() {
		server.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(INTERNAL_ERROR))
			.willSetStateTo("failed"));
		server.stubFor(
				post(urlEqualTo(PATH)).inScenario(RETRY).whenScenarioStateIs("failed").willReturn(okJson(SUCCESS)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.errorCodes()).isEmpty();
		List<LoggedRequest> sent = server.findAll(postRequestedFor(urlEqualTo(PATH)));
		assertThat(sent).hasSize(2);
		assertSameIdempotencyKey(sent);
	}

	@Test
	void verifyWhenFirstAttemptTimesOutThenRetriedWithSameIdempotencyKey() {
		server.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(SUCCESS).withFixedDelay(2000))
			.willSetStateTo("slow"));
		server
			.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY).whenScenarioStateIs("slow").willReturn(okJson(SUCCESS)));
		TurnstileVerifier impatient = new TurnstileVerifier(NAME, verifyUrl(), SECRET, null,
				stub.client(Duration.ofMillis(300), Duration.ofMillis(300)));

		VerificationResult result = impatient.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		List<LoggedRequest> sent = server.findAll(postRequestedFor(urlEqualTo(PATH)));
		assertThat(sent).hasSize(2);
		assertSameIdempotencyKey(sent);
	}

	@Test
	void verifyWhenRetryAnsweredAsRejectionThenRejectionReported() {
		server.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
			.willSetStateTo("dropped"));
		server.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY)
			.whenScenarioStateIs("dropped")
			.willReturn(okJson("{\"success\": false, \"error-codes\": [\"invalid-input-response\"]}")));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(server.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(2);
	}

	@ParameterizedTest
	@EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE" })
	void verifyWhenBothAttemptsDroppedThenProviderUnavailableAfterExactlyTwoRequests(Fault fault) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
		List<LoggedRequest> sent = server.findAll(postRequestedFor(urlEqualTo(PATH)));
		assertThat(sent).hasSize(2);
		assertSameIdempotencyKey(sent);
	}

	@Test
	void verifyWhenInternalErrorTwiceThenProviderUnavailableAfterExactlyTwoRequests() {
		stubAnswer(INTERNAL_ERROR);

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		List<LoggedRequest> sent = server.findAll(postRequestedFor(urlEqualTo(PATH)));
		assertThat(sent).hasSize(2);
		assertSameIdempotencyKey(sent);
	}

	@Test
	void verifyWhenInternalErrorThenDroppedConnectionThenProviderUnavailableAfterTwoRequests() {
		server.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(INTERNAL_ERROR))
			.willSetStateTo("failed"));
		server.stubFor(post(urlEqualTo(PATH)).inScenario(RETRY)
			.whenScenarioStateIs("failed")
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(server.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(2);
	}

	@Test
	void verifyWhenConnectionRefusedThenProviderUnavailable() throws IOException {
		TurnstileVerifier unreachable = new TurnstileVerifier(NAME,
				URI.create("http://127.0.0.1:" + ProviderTestServer.unusedPort() + PATH), SECRET, null, stub.client());

		VerificationResult result = unreachable.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@Test
	void verifyWhenSuccessThenNoRetry() {
		stubAnswer(SUCCESS);

		this.verifier.verify(request(TOKEN, null));

		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	@ParameterizedTest(name = "HTTP {0}: {1}")
	@CsvSource(delimiter = '|', value = { "500 | {\"success\": true, \"error-codes\": []}", "503 | Service Unavailable",
			"200 | <html>Cloudflare</html>", "200 | {\"error-codes\": []}" })
	void verifyWhenAnswerNotSiteverifyJsonThenProviderUnavailable(int status, String body) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	// --- through the engine: length cap, action ---

	@Test
	void engineWhenTokenLongerThan2048ThenMalformedWithoutAnyRequest() {
		stubAnswer(SUCCESS);
		CaptchaVerificationService service = service(this.verifier);

		VerificationResult result = service.verify(new CaptchaRule(NAME, null, null), "a".repeat(2049), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void engineWhenTokenExactly2048ThenSentWholeToTurnstile() {
		stubAnswer(SUCCESS);
		CaptchaVerificationService service = service(this.verifier);
		String token = "0." + "b".repeat(2046);

		VerificationResult result = service.verify(new CaptchaRule(NAME, null, null), token, null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withFormParam("response", equalTo(token)));
	}

	@Test
	void engineWhenActionDiffersFromRuleThenActionMismatch() {
		stubAnswer(SUCCESS);
		CaptchaVerificationService service = service(this.verifier);

		VerificationResult other = service.verify(new CaptchaRule(NAME, "signup", null), TOKEN, null);
		VerificationResult same = service.verify(new CaptchaRule(NAME, "LOGIN", null), TOKEN + "x", null);

		assertThat(other.outcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
		assertThat(other.action()).isEqualTo("login");
		assertThat(same.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void constantsWhenReadThenMatchCloudflareDocumentation() {
		assertThat(TurnstileVerifier.DEFAULT_VERIFY_URL)
			.hasToString("https://challenges.cloudflare.com/turnstile/v0/siteverify");
		assertThat(TurnstileVerifier.TOKEN_LIFETIME).isEqualTo(Duration.ofSeconds(300));
		assertThat(TurnstileVerifier.MAX_TOKEN_LENGTH).isEqualTo(2048);
		assertThat(TurnstileVerifier.FORM_FIELD).isEqualTo("cf-turnstile-response");
	}

	@Test
	void constructorWhenSecretBlankThenIllegalArgumentException() {
		CaptchaHttpClient http = stub.client();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TurnstileVerifier(NAME, verifyUrl(), " ", null, http));
	}

	@Test
	void toStringWhenCalledThenSecretNotShown() {
		assertThat(this.verifier.toString()).contains(NAME).doesNotContain(SECRET);
	}

	// --- helpers ---

	/**
	 * Answers Cloudflare's test secrets as documented; other secrets reject the dummy
	 * token.
	 */
	private static void stubTestSecrets() {
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withFormParam("secret", equalTo(ALWAYS_PASS_SECRET))
			.withFormParam("response", equalTo(DUMMY_TOKEN))
			.willReturn(okJson("{\"success\": true, \"error-codes\": [], "
					+ "\"challenge_ts\": \"2022-02-28T15:14:30.096Z\", \"hostname\": \"localhost\", "
					+ "\"action\": \"test\", \"cdata\": \"test-data\", "
					+ "\"metadata\": {\"result_with_testing_key\": true}}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withFormParam("secret", equalTo(ALWAYS_FAIL_SECRET))
			.willReturn(okJson("{\"success\": false, \"error-codes\": [\"invalid-input-response\"]}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withFormParam("secret", equalTo(SPENT_SECRET))
			.willReturn(okJson("{\"success\": false, \"error-codes\": [\"timeout-or-duplicate\"]}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(5)
			.willReturn(okJson("{\"success\": false, \"error-codes\": [\"invalid-input-response\"]}")));
	}

	private static CaptchaVerificationService service(TurnstileVerifier verifier) {
		return service(verifier, Set.of());
	}

	private static CaptchaVerificationService service(TurnstileVerifier verifier, Set<String> hostnames) {
		return CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, verifier, hostnames, null, Duration.ofDays(36500),
					TurnstileVerifier.TOKEN_LIFETIME, TurnstileVerifier.MAX_TOKEN_LENGTH, false,
					TurnstileVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();
	}

	private static void assertSameIdempotencyKey(List<LoggedRequest> sent) {
		List<String> keys = sent.stream().map((request) -> formOf(request).get("idempotency_key")).toList();
		assertThat(keys).doesNotContainNull();
		assertThat(keys).containsOnly(keys.get(0));
		assertThat(UUID.fromString(keys.get(0))).hasToString(keys.get(0));
	}

	private static List<String> idempotencyKeys() {
		return server.findAll(postRequestedFor(urlEqualTo(PATH)))
			.stream()
			.map((request) -> formOf(request).get("idempotency_key"))
			.toList();
	}

	/** The form fields of a request body; a repeated field would fail the test. */
	private static Map<String, String> formOf(LoggedRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : request.getBodyAsString().split("&")) {
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
			String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			assertThat(form.put(name, value)).as("repeated form field %s", name).isNull();
		}
		return form;
	}

	private static URI verifyUrl() {
		return stub.url(PATH);
	}

	private static void stubAnswer(String json) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(json)));
	}

	private static VerificationRequest request(String token, String clientIp) {
		return new VerificationRequest(token, clientIp, null, Set.of(), null, Duration.ofMinutes(5));
	}

}
