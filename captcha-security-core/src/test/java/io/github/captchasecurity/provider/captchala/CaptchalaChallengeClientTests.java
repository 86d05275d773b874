package io.github.captchasecurity.provider.captchala;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.provider.ProviderTestServer;
import io.github.captchasecurity.provider.captchala.CaptchalaChallengeClient.ServerChallenge;
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
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CaptchalaChallengeClient} against a {@code /v1/server/challenge/issue}
 * stub on 127.0.0.1.
 */
class CaptchalaChallengeClientTests {

	private static final String PATH = "/v1/server/challenge/issue";

	private static final String APP_KEY = "ak_live_4f1d2c3b";

	private static final String APP_SECRET = "as_live_9e8d7c6b5a4f3e2d1c0b";

	private static final String ISSUED = "{\"code\": 0, \"msg\": \"ok\", \"data\": {\"server_token\": "
			+ "\"sct_Q2hhbGxlbmdlLTQy\", \"expires_in\": 300, \"issued_at\": 1714558530}}";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	private static final WireMockServer server = stub.server();

	private CaptchalaChallengeClient client;

	@BeforeEach
	void setUp() {
		this.client = new CaptchalaChallengeClient(issueUrl(), APP_KEY, APP_SECRET, stub.client());
	}

	@Test
	void issueWhenAllBindingsGivenThenPostsThemAsJsonWithAppHeaders() throws IOException {
		stubAnswer(ISSUED);

		this.client.issue("checkout", "203.0.113.9", "user-42", Duration.ofMinutes(2));

		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Content-Type", containing("application/json"))
			.withHeader("X-App-Key", equalTo(APP_KEY))
			.withHeader("X-App-Secret", equalTo(APP_SECRET))
			.withRequestBody(equalToJson(
					"{\"action\": \"checkout\", \"binding_ip\": \"203.0.113.9\", \"bind_uid\": \"user-42\", \"ttl\": 120}")));
	}

	@Test
	void issueWhenOnlyActionGivenThenOptionalFieldsOmitted() throws IOException {
		stubAnswer(ISSUED);

		this.client.issue("login", null, null, null);

		server.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("{\"action\": \"login\"}")));
	}

	@Test
	void issueWhenCalledThenAppSecretNeverInBodyOrUrl() throws IOException {
		stubAnswer(ISSUED);

		this.client.issue("login", "203.0.113.9", "user-42", Duration.ofSeconds(60));

		List<LoggedRequest> sent = server.findAll(anyRequestedFor(anyUrl()));
		assertThat(sent).hasSize(1);
		assertThat(sent.get(0).getUrl()).isEqualTo(PATH);
		assertThat(sent.get(0).getBodyAsString()).doesNotContain(APP_SECRET).doesNotContain(APP_KEY);
	}

	@Test
	void issueWhenServiceIssuesThenServerTokenAndLifetimeReturned() throws IOException {
		stubAnswer(ISSUED);

		ServerChallenge challenge = this.client.issue("login", null, null, null);

		assertThat(challenge.serverToken()).isEqualTo("sct_Q2hhbGxlbmdlLTQy").startsWith("sct_");
		assertThat(challenge.expiresIn()).isEqualTo(300);
	}

	@Test
	void issueWhenLifetimeNotReportedThenZero() throws IOException {
		stubAnswer("{\"code\": 0, \"msg\": \"ok\", \"data\": {\"server_token\": \"sct_abc\"}}");

		ServerChallenge challenge = this.client.issue("login", null, null, null);

		assertThat(challenge.serverToken()).isEqualTo("sct_abc");
		assertThat(challenge.expiresIn()).isZero();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "{\"code\": 401, \"msg\": \"invalid app secret\"}",
			"{\"code\": 1002, \"msg\": \"action required\", \"data\": {\"server_token\": \"sct_abc\"}}",
			"{\"code\": 0, \"msg\": \"ok\", \"data\": {}}",
			"{\"code\": 0, \"msg\": \"ok\", \"data\": {\"server_token\": \"\"}}",
			"{\"code\": 0, \"msg\": \"ok\", \"data\": {\"server_token\": \"   \"}}",
			"{\"code\": 0, \"msg\": \"ok\", \"data\": {\"server_token\": 42}}", "{\"code\": 0, \"msg\": \"ok\"}",
			"{\"msg\": \"ok\", \"data\": {\"server_token\": \"sct_abc\"}}", "not json" })
	void issueWhenServiceRefusesOrIssuesNoTokenThenIOException(String body) {
		stubAnswer(body);

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.client.issue("login", null, null, null))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(APP_SECRET));
	}

	@Test
	void issueWhenServerErrorThenIOException() {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"code\": 0, \"data\": {\"server_token\": \"sct_abc\"}}")));

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.client.issue("login", null, null, null));
	}

	@Test
	void issueWhenConnectionDroppedThenIOExceptionAfterOneRequest() {
		server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.client.issue("login", null, null, null));
		server.verify(1, postRequestedFor(urlEqualTo(PATH)));
	}

	@Test
	void issueWhenConnectionRefusedThenIOException() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		CaptchalaChallengeClient unreachable = new CaptchalaChallengeClient(
				URI.create("http://127.0.0.1:" + port + PATH), APP_KEY, APP_SECRET, stub.client());

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> unreachable.issue("login", null, null, null));
	}

	@Test
	void constructorWhenAppSecretBlankThenIllegalArgumentException() {
		CaptchaHttpClient http = stub.client();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaptchalaChallengeClient(issueUrl(), APP_KEY, " ", http));
	}

	@Test
	void defaultIssueUrlWhenReadThenCaptchalaEndpoint() {
		assertThat(CaptchalaChallengeClient.DEFAULT_ISSUE_URL)
			.hasToString("https://apiv1.captcha.la/v1/server/challenge/issue");
	}

	// --- helpers ---

	private static URI issueUrl() {
		return stub.url(PATH);
	}

	private static void stubAnswer(String json) {
		server.stubFor(post(urlEqualTo(PATH)).withHeader("X-App-Secret", equalTo(APP_SECRET)).willReturn(okJson(json)));
	}

}
