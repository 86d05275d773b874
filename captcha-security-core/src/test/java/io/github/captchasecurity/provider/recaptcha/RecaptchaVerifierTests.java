package io.github.captchasecurity.provider.recaptcha;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
 * Tests for {@link RecaptchaVerifier} against a siteverify stub on 127.0.0.1.
 */
class RecaptchaVerifierTests {

	private static final String PATH = "/recaptcha/api/siteverify";

	private static final String SECRET = "6Lc-our-own-secret-key-for-tests";

	/** Google's documented always-pass v2 test secret. */
	private static final String GOOGLE_TEST_SECRET = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe";

	private static final String TOKEN = "03AGdBq25SxXT-pmSeBXjzScW-EiocHwwpwqtk1QXlJnGnUJCyrgjrBQ3JVxn2tPSb";

	private static final String NAME = "recaptcha";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	private static final WireMockServer server = stub.server();

	private RecaptchaVerifier verifier;

	@BeforeEach
	void setUp() {
		this.verifier = new RecaptchaVerifier(NAME, verifyUrl(), SECRET,
				stub.client(Duration.ofSeconds(1), Duration.ofSeconds(2)));
	}

	@Test
	void verifyWhenCalledThenPostsFormWithSecretResponseAndRemoteIp() {
		stubAnswer("{\"success\": true}");

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH))
					.withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
					.withFormParam("secret", equalTo(SECRET))
					.withFormParam("response", equalTo(TOKEN))
					.withFormParam("remoteip", equalTo("203.0.113.9")));
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenClientIpNullThenRemoteIpNotSent() {
		stubAnswer("{\"success\": true}");

		this.verifier.verify(request(TOKEN, null));

		server.verify(1,
				postRequestedFor(urlEqualTo(PATH)).withFormParam("secret", equalTo(SECRET))
					.withFormParam("response", equalTo(TOKEN))
					.withoutFormParam("remoteip"));
		assertThat(stub.onlyRequest().getBodyAsString()).doesNotContain("remoteip");
	}

	@Test
	void verifyWhenCalledThenTokenAndSecretNeverInUrl() {
		stubAnswer("{\"success\": true}");

		this.verifier.verify(request(TOKEN, "203.0.113.9"));

		LoggedRequest sent = stub.onlyRequest();
		assertThat(sent.getMethod().getName()).isEqualTo("POST");
		assertThat(sent.getUrl()).isEqualTo(PATH).doesNotContain(TOKEN).doesNotContain(SECRET);
		assertThat(sent.getBodyAsString()).contains("secret=").contains("response=");
	}

	@Test
	void verifyWhenTokenHasFormDelimitersThenTheyAreEncoded() {
		stubAnswer("{\"success\": true}");
		String token = "a+b=c&response=forged";

		this.verifier.verify(request(token, null));

		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withFormParam("response", equalTo(token)));
		assertThat(stub.onlyRequest().getBodyAsString()).doesNotContain("&response=forged");
	}

	@Test
	void verifyWhenV2SuccessThenPassedWithoutScoreOrAction() {
		stubAnswer("{\"success\": true, \"challenge_ts\": \"2024-05-01T10:15:30Z\", \"hostname\": \"example.com\"}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.score()).isNull();
		assertThat(result.action()).isNull();
		assertThat(result.hostname()).isEqualTo("example.com");
		assertThat(result.challengeTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:15:30Z"));
		assertThat(result.errorCodes()).isEmpty();
	}

	@Test
	void verifyWhenV3SuccessThenScoreActionHostnameAndTimestampParsed() {
		stubAnswer("{\"success\": true, \"score\": 0.7, \"action\": \"contact\", "
				+ "\"challenge_ts\": \"2024-05-01T10:15:30.456Z\", \"hostname\": \"shop.example.com\"}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.score()).isEqualTo(0.7);
		assertThat(result.action()).isEqualTo("contact");
		assertThat(result.hostname()).isEqualTo("shop.example.com");
		assertThat(result.challengeTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:15:30.456Z"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "2024-05-01T10:15:30Z, 2024-05-01T10:15:30Z", "2024-05-01T10:15:30.123Z, 2024-05-01T10:15:30.123Z",
			"2024-05-01T10:15:30.123456Z, 2024-05-01T10:15:30.123456Z",
			"2024-05-01T10:15:30+0000, 2024-05-01T10:15:30Z", "2024-05-01T10:15:30+00:00, 2024-05-01T10:15:30Z",
			"2024-05-01T10:15:30.123+0000, 2024-05-01T10:15:30.123Z", "2024-05-01T12:15:30+0200, 2024-05-01T10:15:30Z",
			"2024-05-01T12:15:30.5+02:00, 2024-05-01T10:15:30.5Z", "2024-05-01T05:15:30-0500, 2024-05-01T10:15:30Z" })
	void verifyWhenChallengeTimestampInIsoFormThenParsedToInstant(String challengeTs, String expected) {
		stubAnswer("{\"success\": true, \"challenge_ts\": \"" + challengeTs + "\"}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.challengeTimestamp()).isEqualTo(Instant.parse(expected));
	}

	@Test
	void verifyWhenChallengeTimestampUnreadableThenUnavailable() {
		// a pass whose age cannot be checked is not believed
		stubAnswer("{\"success\": true, \"challenge_ts\": \"yesterday\"}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyWhenAndroidAnswerThenPackageNameReportedAsHostname() {
		stubAnswer("{\"success\": true, \"apk_package_name\": \"com.example.app\"}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.hostname()).isEqualTo("com.example.app");
	}

	@Test
	void verifyWhenAnswerHasUnknownFieldsThenIgnored() {
		stubAnswer("{\"success\": true, \"hostname\": \"example.com\", \"future\": {\"nested\": [1, 2]}, \"x\": null}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.hostname()).isEqualTo("example.com");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "missing-input-secret, PROVIDER_UNAVAILABLE", "invalid-input-secret, PROVIDER_UNAVAILABLE",
			"missing-input-response, INVALID", "invalid-input-response, INVALID", "bad-request, INVALID",
			"timeout-or-duplicate, EXPIRED", "some-code-google-adds-next-year, INVALID" })
	void verifyWhenErrorCodeThenMappedOutcomeAndCodeReturned(String errorCode, VerificationOutcome expected) {
		stubAnswer("{\"success\": false, \"error-codes\": [\"" + errorCode + "\"]}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.provider()).isEqualTo(NAME);
		assertThat(result.errorCodes()).containsExactly(errorCode);
	}

	@Test
	void verifyWhenSeveralErrorCodesThenAllReturnedAndExpiryWinsOverInvalid() {
		stubAnswer("{\"success\": false, \"error-codes\": [\"invalid-input-response\", \"timeout-or-duplicate\"]}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.EXPIRED);
		assertThat(result.errorCodes()).containsExactly("invalid-input-response", "timeout-or-duplicate");
	}

	@Test
	void verifyWhenSecretErrorAmongOtherCodesThenProviderUnavailable() {
		stubAnswer("{\"success\": false, \"error-codes\": [\"timeout-or-duplicate\", \"invalid-input-secret\"]}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyWhenFailureWithoutErrorCodesThenInvalid() {
		stubAnswer("{\"success\": false}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.errorCodes()).isEmpty();
	}

	@Test
	void verifyWhenSuccessWithErrorCodeThenUnavailable() {
		// the answer contradicts itself: neither the pass nor the code can be believed
		stubAnswer("{\"success\": true, \"hostname\": \"example.com\", \"error-codes\": [\"invalid-input-response\"]}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@ParameterizedTest(name = "HTTP {0} {1}: {2}")
	@CsvSource(delimiter = '|',
			value = { "500 | application/json | {\"success\": true}", "400 | application/json | {\"success\": true}",
					"403 | application/json | {\"success\": true}", "404 | application/json | {\"success\": true}",
					"204 | application/json | ''", "503 | text/plain       | Service Unavailable",
					"400 | text/html        | <html><body><h1>Bad Request</h1></body></html>",
					"413 | text/html        | <html><body>Request Entity Too Large</body></html>",
					"200 | text/html        | <html><body>success</body></html>",
					"200 | application/json | not json at all", "200 | application/json | [{\"success\": true}]",
					"200 | application/json | {\"hostname\": \"example.com\", \"score\": 0.9}",
					"200 | application/json | {\"success\": \"true\"}", "200 | application/json | {\"success\": 1}",
					"200 | application/json | {\"success\": null}", "200 | application/json | \"success\"",
					"200 | application/json | {\"success\": true" })
	void verifyWhenAnswerIsNotSiteverifyResponseThenProviderUnavailable(int status, String contentType, String body) {
		server.stubFor(post(urlEqualTo(PATH))
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@Test
	void verifyWhenAnswerBodyEmptyThenProviderUnavailable() {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyWhenRedirectedThenRedirectNotFollowedAndProviderUnavailable() {
		server.stubFor(
				post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(302).withHeader("Location", "/elsewhere")));
		server.stubFor(post(urlEqualTo("/elsewhere")).willReturn(okJson("{\"success\": true}")));

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void verifyWhenAnswerLargerThanLimitThenProviderUnavailable() {
		String padding = "x".repeat(300 * 1024);
		stubAnswer("{\"success\": true, \"padding\": \"" + padding + "\"}");

		VerificationResult result = this.verifier.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyWhenConnectionRefusedThenProviderUnavailable() throws IOException {
		int unusedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			unusedPort = socket.getLocalPort();
		}
		RecaptchaVerifier unreachable = new RecaptchaVerifier(NAME, URI.create("http://127.0.0.1:" + unusedPort + PATH),
				SECRET, stub.client(Duration.ofMillis(500), Duration.ofMillis(500)));

		VerificationResult result = unreachable.verify(request(TOKEN, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.provider()).isEqualTo(NAME);
	}

	@Test
	void verifyWhenProviderSlowerThanResponseTimeoutThenProviderUnavailableWithinBound() {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"success\": true}").withFixedDelay(3000)));
		RecaptchaVerifier impatient = new RecaptchaVerifier(NAME, verifyUrl(), SECRET,
				stub.client(Duration.ofMillis(500), Duration.ofMillis(300)));

		long start = System.nanoTime();
		VerificationResult result = impatient.verify(request(TOKEN, null));
		long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(elapsedMillis).isLessThan(2500);
	}

	@Test
	void verifyWhenProviderDribblesAnswerPastDeadlineThenProviderUnavailableWithinBound() {
		// gzip off: a compressed answer would be buffered and arrive in one piece at the
		// end
		WireMockServer dribbling = new WireMockServer(
				WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1").gzipDisabled(true));
		dribbling.start();
		try {
			URI url = URI.create("http://127.0.0.1:" + dribbling.port() + PATH);
			RecaptchaVerifier impatient = new RecaptchaVerifier(NAME, url, SECRET,
					stub.client(Duration.ofSeconds(1), Duration.ofSeconds(1)));
			// warm the stub server up so that its first answer is not slower than the
			// socket timeout
			dribbling.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"success\": true}")));
			assertThat(impatient.verify(request("warm-up-token", null)).outcome())
				.isEqualTo(VerificationOutcome.PASSED);
			// a chunk every ~100 ms, far within the 1 s socket timeout, and the whole
			// answer would take 10 s:
			// only the overall deadline (connect + response = 2 s) can stop the exchange
			dribbling.resetAll();
			dribbling.stubFor(post(urlEqualTo(PATH))
				.willReturn(okJson("{\"success\": true, \"padding\": \"" + "x".repeat(1000) + "\"}")
					.withChunkedDribbleDelay(100, 10_000)));

			long start = System.nanoTime();
			VerificationResult result = impatient.verify(request(TOKEN, null));
			long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

			assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
			assertThat(elapsedMillis).isLessThan(5000);
		}
		finally {
			dribbling.stop();
		}
	}

	@Test
	void verifyWhenGoogleTestSecretThenPassesLikeGoogleAnswers() {
		// Google answers the public test secret with success for any token, on hostname
		// testkey.google.com
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withFormParam("secret", equalTo(GOOGLE_TEST_SECRET))
			.willReturn(okJson("{\"success\": true, \"challenge_ts\": \"2024-05-01T10:15:30Z\", "
					+ "\"hostname\": \"testkey.google.com\"}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(5)
			.willReturn(okJson("{\"success\": false, \"error-codes\": [\"invalid-input-secret\"]}")));
		RecaptchaVerifier testKey = new RecaptchaVerifier(NAME, verifyUrl(), GOOGLE_TEST_SECRET,
				stub.client(Duration.ofSeconds(1), Duration.ofSeconds(2)));

		VerificationResult result = testKey.verify(request("any-token-string-at-all", null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.hostname()).isEqualTo("testkey.google.com");
		assertThat(result.score()).isNull();
		assertThat(this.verifier.verify(request("any-token-string-at-all", null)).outcome())
			.isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void constructorWhenSecretBlankThenIllegalArgumentException() {
		CaptchaHttpClient http = stub.client(Duration.ofSeconds(1), Duration.ofSeconds(1));
		assertThatIllegalArgumentException().isThrownBy(() -> new RecaptchaVerifier(NAME, verifyUrl(), " ", http));
	}

	@Test
	void toStringWhenCalledThenSecretNotShown() {
		assertThat(this.verifier.toString()).contains(NAME).doesNotContain(SECRET);
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
