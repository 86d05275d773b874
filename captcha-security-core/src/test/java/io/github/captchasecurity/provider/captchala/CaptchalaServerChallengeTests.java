package io.github.captchasecurity.provider.captchala;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpClientSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class CaptchalaServerChallengeTests {

	private static final String SECRET = "app-secret";

	private WireMockServer server;

	private CaptchaHttpClient http;

	private CaptchalaVerifier verifier;

	private CaptchalaChallengeClient client;

	@BeforeEach
	void start() {
		this.server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
		this.server.start();
		this.http = CaptchaHttpClient.create(new HttpClientSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 4));
		URI base = URI.create(this.server.baseUrl());
		this.verifier = new CaptchalaVerifier("cl", base.resolve("/v1/validate"), base.resolve("/fallback"), "app-key",
				SECRET, true, true, this.http);
		this.client = new CaptchalaChallengeClient(base.resolve("/v1/server/challenge/issue"), "app-key", SECRET,
				this.http);
	}

	@AfterEach
	void stop() {
		this.http.close();
		this.server.stop();
	}

	@Test
	void issueForWhenCalledThenBindsClientIpAndDerivedUid() throws Exception {
		this.server.stubFor(post("/v1/server/challenge/issue").willReturn(json(
				"{\"code\":0,\"msg\":\"ok\",\"data\":{\"server_token\":\"sct_1\",\"expires_in\":120,\"issued_at\":1}}")));
		CaptchalaChallengeClient.ServerChallenge challenge = this.client.issueFor("198.51.100.7", "transfer", null);
		assertThat(challenge.serverToken()).isEqualTo("sct_1");
		this.server.verify(postRequestedFor(urlEqualTo("/v1/server/challenge/issue"))
			.withRequestBody(matchingJsonPath("$.action", equalTo("transfer")))
			.withRequestBody(matchingJsonPath("$.binding_ip", equalTo("198.51.100.7")))
			.withRequestBody(
					matchingJsonPath("$.bind_uid", equalTo(CaptchalaBinding.uid(SECRET, "198.51.100.7", "transfer")))));
	}

	@Test
	void verifyWhenServerChallengeAndUidMatchesClientAndActionThenPassed() {
		validateAnswers(CaptchalaBinding.uid(SECRET, "198.51.100.7", "transfer"));
		assertThat(this.verifier.verify(request("pt_1", "198.51.100.7", "transfer", true)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenServerChallengeFromAnotherIpThenInvalid() {
		validateAnswers(CaptchalaBinding.uid(SECRET, "198.51.100.7", "transfer"));
		assertThat(this.verifier.verify(request("pt_1", "198.51.100.8", "transfer", true)).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenServerChallengeForAnotherActionThenInvalid() {
		validateAnswers(CaptchalaBinding.uid(SECRET, "198.51.100.7", "other"));
		assertThat(this.verifier.verify(request("pt_1", "198.51.100.7", "transfer", true)).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenServerChallengeAndTokenWithoutUidThenInvalidButPassesOnOrdinaryRoutes() {
		this.server.stubFor(post("/v1/validate")
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true,\"action\":\"transfer\"}}")));
		assertThat(this.verifier.verify(request("pt_1", "198.51.100.7", "transfer", true)).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(this.verifier.verify(request("pt_2", "198.51.100.7", "transfer", false)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenServerChallengeThenClientOnlyAndDegradedTokensNeverPassEvenWhenOptedIn() {
		this.server.stubFor(post("/v1/validate").willReturn(
				json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":false,\"degraded\":true,\"reason\":\"quota\"}}")));
		assertThat(this.verifier.verify(request("client_1", "198.51.100.7", "transfer", true)).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(this.verifier.verify(request("dg_1", "198.51.100.7", "transfer", true)).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(this.verifier.verify(request("dg_2", "198.51.100.7", "transfer", false)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	private void validateAnswers(String uid) {
		this.server.stubFor(post("/v1/validate")
			.willReturn(json("{\"code\":0,\"msg\":\"ok\",\"data\":{\"valid\":true,\"action\":\"transfer\",\"uid\":\""
					+ uid + "\"}}")));
	}

	private static VerificationRequest request(String token, String ip, String action, boolean serverChallenge) {
		return new VerificationRequest(token, ip, action, Set.of(), null, Duration.ofMinutes(5), null, serverChallenge);
	}

	private static ResponseDefinitionBuilder json(String body) {
		return aResponse().withHeader("Content-Type", "application/json").withBody(body);
	}

}
