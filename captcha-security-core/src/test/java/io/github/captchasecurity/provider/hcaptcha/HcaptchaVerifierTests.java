package io.github.captchasecurity.provider.hcaptcha;

import java.io.IOException;
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
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link HcaptchaVerifier} against a siteverify stub on 127.0.0.1 that answers
 * as hCaptcha documents (and as its official test keys were observed to answer).
 */
class HcaptchaVerifierTests {

	private static final String PATH = "/siteverify";

	private static final String NAME = "hcaptcha";

	private static final String SECRET = "0x1234567890abcdef1234567890abcdef12345678";

	private static final String SITE_KEY = "b3f0c1d2-aaaa-4bbb-8ccc-0123456789ab";

	private static final String TOKEN = "P1_eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.hadQ2xQ4kFSxSNfNk3Dg";

	/** hCaptcha's test secret, shared by every test key set. */
	private static final String TEST_SECRET = "0x0000000000000000000000000000000000000000";

	private static final String PUBLISHER_SITE_KEY = "10000000-ffff-ffff-ffff-000000000001";

	private static final String PUBLISHER_TOKEN = "10000000-aaaa-bbbb-cccc-000000000001";

	private static final String SAFE_USER_SITE_KEY = "20000000-ffff-ffff-ffff-000000000002";

	private static final String SAFE_USER_TOKEN = "20000000-aaaa-bbbb-cccc-000000000002";

	private static final String BOT_SITE_KEY = "30000000-ffff-ffff-ffff-000000000003";

	private static final String BOT_TOKEN = "30000000-aaaa-bbbb-cccc-000000000003";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	private static final WireMockServer server = stub.server();

	private HcaptchaVerifier verifier;

	@BeforeEach
	void setUp() {
		this.verifier = new HcaptchaVerifier(NAME, verifyUrl(), SECRET, SITE_KEY, stub.client());
	}

	// --- request shape ---

	@Test
	void verifyWhenCalledThenPostsFormWithSecretResponseRemoteIpAndSitekey() {
		stubAnswer("{\"success\": true}");

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH))
					.withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
					.withFormParam("secret", equalTo(SECRET))
					.withFormParam("response", equalTo(TOKEN))
					.withFormParam("remoteip", equalTo("203.0.113.9"))
					.withFormParam("sitekey", equalTo(SITE_KEY)));
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenNoClientIpAndNoSiteKeyThenOnlySecretAndResponseSent() {
		stubAnswer("{\"success\": true}");
		HcaptchaVerifier withoutSiteKey = new HcaptchaVerifier(NAME, verifyUrl(), SECRET, null, stub.client());

		withoutSiteKey.verify(request(TOKEN, null));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH)).withFormParam("secret", equalTo(SECRET))
					.withFormParam("response", equalTo(TOKEN))
					.withoutFormParam("remoteip")
					.withoutFormParam("sitekey"));
	}

	@Test
	void verifyWhenCalledThenSecretAndTokenNeverInUrl() {
		stubAnswer("{\"success\": true}");

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		LoggedRequest sent = stub.onlyRequest();
		assertThat(sent.getMethod().getName()).isEqualTo("POST");
		assertThat(sent.getUrl()).isEqualTo(PATH).doesNotContain(SECRET).doesNotContain(TOKEN);
		assertThat(sent.getBodyAsString()).contains("secret=").contains("response=");
	}

	@Test
	void verifyWhenTokenLongerThanFourThousandCharactersThenSentWhole() {
		// tokens over 4,000 characters have been observed: they must reach hCaptcha
		// untruncated, in the body
		String token = "P1_" + "a".repeat(5000);
		stubAnswer("{\"success\": true}");

		VerificationResult result = this.verifier.verify(request(token, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withFormParam("response", equalTo(token)));
	}

	// --- official test keys ---

	@Test
	void verifyWhenPublisherTestKeysThenPassedOnDummyHostWithoutScore() {
		stubTestKeys();
		HcaptchaVerifier testKeys = new HcaptchaVerifier(NAME, verifyUrl(), TEST_SECRET, PUBLISHER_SITE_KEY,
				stub.client());

		VerificationResult result = testKeys.verify(request(PUBLISHER_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.hostname()).isEqualTo("dummy-key-pass");
		assertThat(result.score()).isNull();
		assertThat(result.rawScore()).isNull();
		assertThat(result.action()).isNull();
		assertThat(result.errorCodes()).isEmpty();
		assertThat(result.challengeTimestamp()).isEqualTo(Instant.parse("2021-10-02T18:12:10.149Z"));
		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withFormParam("secret", equalTo(TEST_SECRET))
			.withFormParam("sitekey", equalTo(PUBLISHER_SITE_KEY)));
	}

	@Test
	void verifyWhenEnterpriseSafeUserTestKeysThenScoreZeroNormalizedToHuman() {
		stubTestKeys();
		HcaptchaVerifier testKeys = new HcaptchaVerifier(NAME, verifyUrl(), TEST_SECRET, SAFE_USER_SITE_KEY,
				stub.client());

		VerificationResult result = testKeys.verify(request(SAFE_USER_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.rawScore()).isEqualTo(0.0);
		assertThat(result.score()).isEqualTo(1.0);
	}

	@Test
	void verifyWhenEnterpriseBotTestKeysThenStillSuccessButScoreNormalizedToBot() {
		stubTestKeys();
		HcaptchaVerifier testKeys = new HcaptchaVerifier(NAME, verifyUrl(), TEST_SECRET, BOT_SITE_KEY, stub.client());

		VerificationResult result = testKeys.verify(request(BOT_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.rawScore()).isEqualTo(1.0);
		assertThat(result.score()).isEqualTo(0.0);
	}

	@Test
	void verifyWhenTestTokenWithRealSecretThenInvalid() {
		stubTestKeys();

		VerificationResult result = this.verifier.verify(request(PUBLISHER_TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).containsExactly("not-using-dummy-secret");
	}

	@Test
	void verifyWhenBotTestKeysBehindScoredProviderWithMinScoreThenEngineRejectsLowScore() {
		stubTestKeys();
		HcaptchaVerifier testKeys = new HcaptchaVerifier(NAME, verifyUrl(), TEST_SECRET, BOT_SITE_KEY, stub.client());
		HcaptchaVerifier safeKeys = new HcaptchaVerifier("safe", verifyUrl(), TEST_SECRET, SAFE_USER_SITE_KEY,
				stub.client());
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(scoredPolicy(NAME, testKeys))
			.provider(scoredPolicy("safe", safeKeys))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult bot = service.verify(new CaptchaRule(NAME, null, null), BOT_TOKEN, null);
		VerificationResult human = service.verify(new CaptchaRule("safe", null, null), SAFE_USER_TOKEN, null);

		assertThat(bot.outcome()).isEqualTo(VerificationOutcome.LOW_SCORE);
		assertThat(bot.score()).isEqualTo(0.0);
		assertThat(bot.rawScore()).isEqualTo(1.0);
		assertThat(human.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(human.score()).isEqualTo(1.0);
		assertThat(human.rawScore()).isEqualTo(0.0);
	}

	@Test
	void isTestModeWhenTestSecretThenTrueOtherwiseFalse() {
		assertThat(new HcaptchaVerifier(NAME, verifyUrl(), TEST_SECRET, null, stub.client()).isTestMode()).isTrue();
		assertThat(this.verifier.isTestMode()).isFalse();
		assertThat(new HcaptchaVerifier(NAME, verifyUrl(), TEST_SECRET + "0", null, stub.client()).isTestMode())
			.isFalse();
	}

	@Test
	void engineWhenTestSecretThenTestTokenReusableOnDummyHost() {
		stubTestKeys();
		HcaptchaVerifier testKeys = new HcaptchaVerifier(NAME, verifyUrl(), TEST_SECRET, PUBLISHER_SITE_KEY,
				stub.client());
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, testKeys, Set.of("example.com"), null, Duration.ofDays(36500),
					HcaptchaVerifier.TOKEN_LIFETIME, HcaptchaVerifier.MAX_TOKEN_LENGTH, false,
					HcaptchaVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult first = service.verify(new CaptchaRule(NAME, null, null), PUBLISHER_TOKEN, null);
		VerificationResult second = service.verify(new CaptchaRule(NAME, null, null), PUBLISHER_TOKEN, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(first.hostname()).isEqualTo("dummy-key-pass");
		assertThat(second.outcome()).isEqualTo(VerificationOutcome.PASSED);
		server.verify(2, postRequestedFor(urlEqualTo(PATH)));
	}

	@Test
	void engineWhenRealSecretThenSameTokenReplayedAndDummyHostRejected() {
		stubAnswer("{\"success\": true, \"hostname\": \"dummy-key-pass\"}");
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(NAME, this.verifier, Set.of("example.com"), null, Duration.ofMinutes(2),
					HcaptchaVerifier.TOKEN_LIFETIME, HcaptchaVerifier.MAX_TOKEN_LENGTH, false,
					HcaptchaVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(100))
			.build();

		VerificationResult first = service.verify(new CaptchaRule(NAME, null, null), TOKEN, null);
		VerificationResult second = service.verify(new CaptchaRule(NAME, null, null), TOKEN, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
		assertThat(second.outcome()).isEqualTo(VerificationOutcome.REPLAYED);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	// --- scores ---

	@ParameterizedTest(name = "raw {0} -> {1}")
	@CsvSource({ "0.0, 1.0", "1.0, 0.0", "0.25, 0.75", "0.9, 0.1" })
	void verifyWhenEnterpriseScoreThenNormalizedSoThatOneMeansHuman(double raw, double normalized) {
		stubAnswer("{\"success\": true, \"score\": " + raw + "}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.score()).isCloseTo(normalized, within(1e-9));
		assertThat(result.rawScore()).isEqualTo(raw);
	}

	@ParameterizedTest
	@ValueSource(strings = { "1.5", "-0.5", "1e400", "\"0.1\"" })
	void verifyWhenEnterpriseScoreOutsideZeroToOneThenUnavailableNotClamped(String raw) {
		// clamping 1.5 to a normalized 0.0 (or -0.5 to 1.0, a perfect human) would
		// believe a broken answer
		stubAnswer("{\"success\": true, \"score\": " + raw + "}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"score_reason\": [\"safe\", \"no_history\"]", "\"score-reason\": [\"bot\"]",
			"\"score_reason\": \"not-an-array\"" })
	void verifyWhenScoreReasonPresentThenIgnored(String scoreReason) {
		stubAnswer("{\"success\": true, \"score\": 0.2, " + scoreReason + ", \"hostname\": \"example.com\"}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.score()).isCloseTo(0.8, within(1e-9));
		assertThat(result.hostname()).isEqualTo("example.com");
		assertThat(result.errorCodes()).isEmpty();
	}

	@Test
	void verifyWhenCreditAndUnknownFieldsPresentThenIgnored() {
		stubAnswer("{\"success\": true, \"credit\": true, \"hostname\": \"example.com\", \"nonce\": {\"a\": 1}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.hostname()).isEqualTo("example.com");
		assertThat(result.score()).isNull();
	}

	// --- error codes ---

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "already-seen-response, EXPIRED", "expired-input-response, EXPIRED",
			"invalid-or-already-seen-response, INVALID", "not-using-dummy-secret, INVALID",
			"invalid-input-response, INVALID", "missing-input-response, INVALID", "bad-request, INVALID",
			"missing-input-secret, PROVIDER_UNAVAILABLE", "invalid-input-secret, PROVIDER_UNAVAILABLE",
			"sitekey-secret-mismatch, PROVIDER_UNAVAILABLE", "invalid-sitekey, PROVIDER_UNAVAILABLE",
			"not-using-dummy-passcode, PROVIDER_UNAVAILABLE", "missing-remoteip, PROVIDER_UNAVAILABLE",
			"invalid-remoteip, PROVIDER_UNAVAILABLE", "some-code-hcaptcha-adds-next-year, INVALID" })
	void verifyWhenErrorCodeThenMappedOutcomeAndCodeReturned(String errorCode, VerificationOutcome expected) {
		stubAnswer("{\"success\": false, \"error-codes\": [\"" + errorCode + "\"]}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.errorCodes()).containsExactly(errorCode);
	}

	@Test
	void verifyWhenConfigurationCodeAmongTokenCodesThenProviderUnavailable() {
		stubAnswer("{\"success\": false, \"error-codes\": [\"already-seen-response\", \"sitekey-secret-mismatch\"]}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.errorCodes()).containsExactly("already-seen-response", "sitekey-secret-mismatch");
	}

	@Test
	void verifyWhenExpiredAmongInvalidCodesThenExpired() {
		stubAnswer("{\"success\": false, \"error-codes\": [\"invalid-input-response\", \"expired-input-response\"]}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	@Test
	void verifyWhenFailureWithoutErrorCodesThenInvalid() {
		stubAnswer("{\"success\": false}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).isEmpty();
	}

	@Test
	void configurationCodesWhenListedThenMatchDocumentedConfigurationFaults() {
		assertThat(HcaptchaVerifier.configurationCodes()).containsExactlyInAnyOrder("missing-input-secret",
				"invalid-input-secret", "sitekey-secret-mismatch", "invalid-sitekey", "not-using-dummy-passcode",
				"missing-remoteip", "invalid-remoteip");
	}

	// --- transport failures ---

	@ParameterizedTest(name = "HTTP {0}")
	@ValueSource(ints = { 500, 502, 503, 504 })
	void verifyWhenServerErrorThenProviderUnavailable(int status) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"success\": true}")));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@ParameterizedTest
	@ValueSource(strings = { "<html><body>Bad gateway</body></html>", "not json", "[true]", "{\"success\": \"true\"}",
			"{\"hostname\": \"dummy-key-pass\"}" })
	void verifyWhenAnswerNotSiteverifyJsonThenProviderUnavailable(String body) {
		server.stubFor(post(urlEqualTo(PATH))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(body)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyWhenConnectionRefusedThenProviderUnavailable() throws IOException {
		HcaptchaVerifier unreachable = new HcaptchaVerifier(NAME,
				URI.create("http://127.0.0.1:" + ProviderTestServer.unusedPort() + PATH), SECRET, SITE_KEY,
				stub.client());

		VerificationResult result = unreachable.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@ParameterizedTest
	@EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE" })
	void verifyWhenConnectionDroppedThenProviderUnavailableWithoutRetry(Fault fault) {
		// a retry could find the token already seen: hCaptcha has no idempotency key, so
		// it is asked once only
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenProviderTooSlowThenProviderUnavailableWithoutRetry() {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"success\": true}").withFixedDelay(2000)));
		HcaptchaVerifier impatient = new HcaptchaVerifier(NAME, verifyUrl(), SECRET, SITE_KEY,
				stub.client(Duration.ofMillis(300), Duration.ofMillis(300)));

		VerificationResult result = impatient.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	// --- construction ---

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void constructorWhenSecretBlankThenIllegalArgumentException(String secret) {
		CaptchaHttpClient http = stub.client();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HcaptchaVerifier(NAME, verifyUrl(), secret, SITE_KEY, http));
	}

	@Test
	void toStringWhenCalledThenSecretNotShown() {
		assertThat(this.verifier.toString()).contains(NAME).doesNotContain(SECRET);
	}

	@Test
	void constantsWhenReadThenMatchHcaptchaDocumentation() {
		assertThat(HcaptchaVerifier.DEFAULT_VERIFY_URL).hasToString("https://api.hcaptcha.com/siteverify");
		assertThat(HcaptchaVerifier.TOKEN_LIFETIME).isEqualTo(Duration.ofSeconds(120));
		assertThat(HcaptchaVerifier.FORM_FIELD).isEqualTo("h-captcha-response");
		assertThat(HcaptchaVerifier.MAX_TOKEN_LENGTH).isGreaterThanOrEqualTo(32 * 1024);
	}

	// --- helpers ---

	/**
	 * Answers the test secret as hCaptcha was observed to, and any other secret with its
	 * test-token error.
	 */
	private static void stubTestKeys() {
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withFormParam("secret", equalTo(TEST_SECRET))
			.withFormParam("response", equalTo(PUBLISHER_TOKEN))
			.willReturn(okJson("{\"success\": true, \"challenge_ts\": \"2021-10-02T18:12:10.149Z\", "
					+ "\"hostname\": \"dummy-key-pass\", \"credit\": false}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withFormParam("secret", equalTo(TEST_SECRET))
			.withFormParam("response", equalTo(SAFE_USER_TOKEN))
			.willReturn(okJson("{\"success\": true, \"challenge_ts\": \"2021-10-02T18:12:10.149Z\", "
					+ "\"hostname\": \"dummy-key-pass\", \"score\": 0, \"score_reason\": []}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withFormParam("secret", equalTo(TEST_SECRET))
			.withFormParam("response", equalTo(BOT_TOKEN))
			.willReturn(okJson("{\"success\": true, \"challenge_ts\": \"2021-10-02T18:12:10.149Z\", "
					+ "\"hostname\": \"dummy-key-pass\", \"score\": 1, \"score_reason\": [\"bot\"]}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(5)
			.willReturn(okJson("{\"success\": false, \"hostname\": \"dummy-key-pass\", "
					+ "\"error-codes\": [\"not-using-dummy-secret\"]}")));
	}

	private static ProviderPolicy scoredPolicy(String name, HcaptchaVerifier verifier) {
		return new ProviderPolicy(name, verifier, Set.of(), 0.5, Duration.ofDays(3650), HcaptchaVerifier.TOKEN_LIFETIME,
				HcaptchaVerifier.MAX_TOKEN_LENGTH, true, HcaptchaVerifier.FORM_FIELD);
	}

	private static URI verifyUrl() {
		return stub.url(PATH);
	}

	private static void stubAnswer(String json) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(json)));
	}

	private static VerificationRequest request(String token, String clientIp) {
		return new VerificationRequest(token, clientIp, null, Set.of(), null, Duration.ofMinutes(2));
	}

}
