package io.github.captchasecurity.provider.captchala;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.provider.ProviderTestServer;
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
 * Tests for {@link CaptchalaVerifier} against validate stubs on 127.0.0.1 answering with
 * CaptchaLa's {@code code/msg/data} envelope.
 */
class CaptchalaVerifierTests {

	private static final String PATH = "/v1/validate";

	private static final String FALLBACK_PATH = "/api/validate";

	private static final String NAME = "captchala";

	private static final String APP_KEY = "ak_live_4f1d2c3b";

	private static final String APP_SECRET = "as_live_9e8d7c6b5a4f3e2d1c0b";

	private static final String TOKEN = "pt_8Jq2LmZr4VxW9tYp3NsKc6Hd";

	private static final long SOLVED_AT = 1_714_558_530L;

	private static final String VALID = "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"valid\": true, "
			+ "\"challenge_id\": \"ch_123\", \"action\": \"login\", \"uid\": \"user-42\", \"captcha_args\": "
			+ "{\"platform\": \"web\", \"user_ip\": \"203.0.113.9\", \"referer\": \"https://example.com/login\", "
			+ "\"solved_at\": " + SOLVED_AT + "}}}";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	private static final WireMockServer server = stub.server();

	private CaptchalaVerifier verifier;

	@BeforeEach
	void setUp() {
		this.verifier = verifier(false, false);
	}

	// --- request shape ---

	@Test
	void verifyWhenCalledThenPostsJsonPassTokenWithAppHeaders() {
		stubAnswer(PATH, VALID);

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH)).withHeader("Content-Type", containing("application/json"))
					.withHeader("X-App-Key", equalTo(APP_KEY))
					.withHeader("X-App-Secret", equalTo(APP_SECRET))
					.withRequestBody(equalToJson("{\"pass_token\": \"" + TOKEN + "\"}")));
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenCalledThenAppSecretNeverInBodyOrUrl() {
		stubAnswer(PATH, VALID);

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		LoggedRequest sent = stub.onlyRequest();
		assertThat(sent.getMethod().getName()).isEqualTo("POST");
		assertThat(sent.getUrl()).isEqualTo(PATH)
			.doesNotContain(APP_SECRET)
			.doesNotContain(APP_KEY)
			.doesNotContain(TOKEN);
		assertThat(sent.getBodyAsString()).doesNotContain(APP_SECRET).doesNotContain(APP_KEY);
	}

	// --- verdicts ---

	@Test
	void verifyWhenValidThenPassedWithActionAndSolveTime() {
		stubAnswer(PATH, VALID);

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.action()).isEqualTo("login");
		assertThat(result.challengeTimestamp()).isEqualTo(Instant.ofEpochSecond(SOLVED_AT));
		assertThat(result.errorCodes()).isEmpty();
		assertThat(result.score()).isNull();
		assertThat(result.hostname()).isNull();
	}

	@Test
	void verifyWhenAnswerSaysOkInsteadOfValidThenPassed() {
		stubAnswer(PATH, "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"ok\": true, \"action\": \"signup\"}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.action()).isEqualTo("signup");
		assertThat(result.challengeTimestamp()).isNull();
	}

	@Test
	void verifyWhenOkFalseThenInvalid() {
		stubAnswer(PATH, "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"ok\": false}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "invalid_token, INVALID", "token_not_found, INVALID", "ip_mismatch, INVALID", "empty_token, INVALID",
			"unknown_error, INVALID", "token_expired, EXPIRED", "expired, EXPIRED", "TOKEN_EXPIRED, EXPIRED",
			"token_used, EXPIRED", "already_used, EXPIRED", "duplicate_token, EXPIRED" })
	void verifyWhenNotValidWithErrorThenRejectedByCode(String error, VerificationOutcome expected) {
		stubAnswer(PATH, "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"valid\": false, \"error\": \"" + error + "\"}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.errorCodes()).containsExactly(error);
	}

	@ParameterizedTest
	@ValueSource(strings = { "binding_ip_refused", "token_abused" })
	void verifyWhenErrorOnlyContainsUsedInsideAnotherWordThenInvalid(String error) {
		stubAnswer(PATH, "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"valid\": false, \"error\": \"" + error + "\"}}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"valid\": \"true\"}", "{\"valid\": 1}", "{\"valid\": null}" })
	void verifyWhenVerdictMissingOrOfWrongTypeThenInvalid(String data) {
		stubAnswer(PATH, "{\"code\": 0, \"msg\": \"ok\", \"data\": " + data + "}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "{\"code\": 401, \"msg\": \"invalid app secret\", \"data\": null}",
					"{\"code\": 1001, \"msg\": \"app not found\"}",
					"{\"code\": -1, \"msg\": \"error\", \"data\": {\"valid\": true}}",
					"{\"code\": 429, \"msg\": \"rate limited\", \"data\": {\"valid\": true}}" })
	void verifyWhenEnvelopeCodeNotZeroThenProviderUnavailable(String body) {
		stubAnswer(PATH, body);

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@ParameterizedTest(name = "HTTP {0}: {1}")
	@CsvSource(delimiter = '|',
			value = { "200 | not json", "200 | <html><body>gateway</body></html>", "200 | [{\"code\": 0}]",
					"200 | {\"msg\": \"ok\", \"data\": {\"valid\": true}}",
					"200 | {\"code\": \"0\", \"data\": {\"valid\": true}}",
					"200 | {\"code\": 0.5, \"data\": {\"valid\": true}}", "200 | {\"code\": 0, \"msg\": \"ok\"}",
					"200 | {\"code\": 0, \"msg\": \"ok\", \"data\": \"valid\"}",
					"500 | {\"code\": 0, \"data\": {\"valid\": true}}", "502 | Bad Gateway",
					"401 | {\"code\": 401, \"msg\": \"unauthorized\"}" })
	void verifyWhenAnswerNotEnvelopeThenProviderUnavailable(int status, String body) {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	// --- client_ tokens ---

	@Test
	void verifyWhenClientOnlyTokenThenInvalidWithoutAnyRequest() {
		stubAnswer(PATH, VALID);

		VerificationResult result = this.verifier.verify(request("client_abc123", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void verifyWhenClientOnlyTokenAndAcceptedThenPassedWithoutAnyRequest() {
		stubAnswer(PATH, VALID);
		CaptchalaVerifier lenient = verifier(true, false);

		VerificationResult result = lenient.verify(request("client_abc123", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.errorCodes()).containsExactly("client-only");
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void verifyWhenClientOnlyAcceptedThenOtherTokensStillVerified() {
		stubAnswer(PATH, "{\"code\": 0, \"data\": {\"valid\": false, \"error\": \"invalid_token\"}}");
		CaptchalaVerifier lenient = verifier(true, false);

		VerificationResult result = lenient.verify(request("pt_client_lookalike", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	// --- dg_ degraded tokens ---

	@Test
	void verifyWhenDegradedTokenThenInvalid() {
		stubAnswer(PATH, "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"valid\": false, \"degraded\": true, "
				+ "\"reason\": \"quota_exhausted\"}}");

		VerificationResult result = this.verifier.verify(request("dg_9f8e7d6c", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).containsExactly("degraded");
		server.verify(1,
				postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("{\"pass_token\": \"dg_9f8e7d6c\"}")));
	}

	@Test
	void verifyWhenDegradedTokenAndAcceptedThenPassed() {
		stubAnswer(PATH, "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"valid\": false, \"degraded\": true, "
				+ "\"reason\": \"quota_exhausted\", \"action\": \"login\"}}");
		CaptchalaVerifier lenient = verifier(false, true);

		VerificationResult result = lenient.verify(request("dg_9f8e7d6c", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.errorCodes()).containsExactly("degraded");
		assertThat(result.action()).isEqualTo("login");
	}

	@Test
	void verifyWhenDegradedAcceptedButTokenPlainlyInvalidThenStillInvalid() {
		stubAnswer(PATH, "{\"code\": 0, \"data\": {\"valid\": false, \"error\": \"invalid_token\"}}");
		CaptchalaVerifier lenient = verifier(false, true);

		VerificationResult result = lenient.verify(request("dg_9f8e7d6c", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	// --- offline_ tokens ---

	@Test
	void verifyWhenOfflineTokenThenValidatedAtFallbackUrl() {
		stubAnswer(PATH, "{\"code\": 0, \"data\": {\"valid\": false, \"error\": \"invalid_token\"}}");
		stubAnswer(FALLBACK_PATH, VALID);

		VerificationResult result = this.verifier.verify(request("offline_7a6b5c", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		server.verify(1,
				postRequestedFor(urlEqualTo(FALLBACK_PATH)).withHeader("X-App-Key", equalTo(APP_KEY))
					.withHeader("X-App-Secret", equalTo(APP_SECRET))
					.withRequestBody(equalToJson("{\"pass_token\": \"offline_7a6b5c\"}")));
		server.verify(0, postRequestedFor(urlEqualTo(PATH)));
	}

	@Test
	void verifyWhenNormalTokenThenFallbackUrlNotUsed() {
		stubAnswer(PATH, VALID);
		stubAnswer(FALLBACK_PATH, VALID);

		this.verifier.verify(request(TOKEN, null));

		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
		server.verify(0, postRequestedFor(urlEqualTo(FALLBACK_PATH)));
	}

	// --- transport ---

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
		URI unreachable = URI.create("http://127.0.0.1:" + ProviderTestServer.unusedPort() + PATH);
		CaptchalaVerifier verifier = new CaptchalaVerifier(NAME, unreachable, unreachable, APP_KEY, APP_SECRET, false,
				false, stub.client());

		VerificationResult result = verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	// --- construction ---

	@ParameterizedTest
	@CsvSource({ "'', secret", "' ', secret", "key, ''", "key, ' '" })
	void constructorWhenAppKeyOrSecretBlankThenIllegalArgumentException(String appKey, String appSecret) {
		CaptchaHttpClient http = stub.client();
		assertThatIllegalArgumentException().isThrownBy(() -> new CaptchalaVerifier(NAME, url(PATH), url(FALLBACK_PATH),
				appKey, appSecret, false, false, http));
	}

	@Test
	void toStringWhenCalledThenSecretNotShown() {
		assertThat(this.verifier.toString()).contains(NAME).doesNotContain(APP_SECRET);
	}

	@Test
	void constantsWhenReadThenMatchCaptchalaSdk() {
		assertThat(CaptchalaVerifier.DEFAULT_VERIFY_URL).hasToString("https://apiv1.captcha.la/v1/validate");
		assertThat(CaptchalaVerifier.DEFAULT_FALLBACK_URL)
			.hasToString("https://fallbackapiv1.captchala.com/api/validate");
	}

	// --- helpers ---

	private CaptchalaVerifier verifier(boolean acceptClientOnly, boolean acceptDegraded) {
		return new CaptchalaVerifier(NAME, url(PATH), url(FALLBACK_PATH), APP_KEY, APP_SECRET, acceptClientOnly,
				acceptDegraded, stub.client());
	}

	private static URI url(String path) {
		return stub.url(path);
	}

	private static void stubAnswer(String path, String json) {
		server.stubFor(post(urlEqualTo(path)).withHeader("X-App-Secret", equalTo(APP_SECRET)).willReturn(okJson(json)));
	}

	private static VerificationRequest request(String token, String clientIp) {
		return new VerificationRequest(token, clientIp, null, Set.of(), null, Duration.ofMinutes(5));
	}

}
