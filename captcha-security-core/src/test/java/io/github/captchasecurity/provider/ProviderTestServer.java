package io.github.captchasecurity.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpClientSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider stub on 127.0.0.1 for the provider tests: started once per class, reset
 * before each test, and the HTTP clients a test creates are closed after it. Register it
 * as a static field with {@code @RegisterExtension}.
 */
public final class ProviderTestServer
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

	private final WireMockServer server = new WireMockServer(
			WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

	private final List<CaptchaHttpClient> clients = new ArrayList<>();

	/**
	 * Return the stub server.
	 * @return the server
	 */
	public WireMockServer server() {
		return this.server;
	}

	/**
	 * Return the URL of a path on the stub.
	 * @param path the path
	 * @return the URL
	 */
	public URI url(String path) {
		return URI.create("http://127.0.0.1:" + this.server.port() + path);
	}

	/**
	 * Create an HTTP client with 1 s to connect and 2 s for the answer, closed after the
	 * test.
	 * @return the client
	 */
	public CaptchaHttpClient client() {
		return client(Duration.ofSeconds(1), Duration.ofSeconds(2));
	}

	/**
	 * Create an HTTP client, closed after the test.
	 * @param connectTimeout the connect timeout
	 * @param responseTimeout the response timeout
	 * @return the client
	 */
	public CaptchaHttpClient client(Duration connectTimeout, Duration responseTimeout) {
		CaptchaHttpClient client = CaptchaHttpClient.create(new HttpClientSettings(connectTimeout, responseTimeout, 4));
		this.clients.add(client);
		return client;
	}

	/**
	 * Return the single request the stub received, failing if there was not exactly one.
	 * @return the request
	 */
	public LoggedRequest onlyRequest() {
		List<LoggedRequest> requests = this.server.findAll(anyRequestedFor(anyUrl()));
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

	/**
	 * Return a loopback port nothing listens on.
	 * @return the port
	 * @throws IOException if no port can be had
	 */
	public static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.server.start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.server.stop();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.server.resetAll();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.clients.forEach(CaptchaHttpClient::close);
		this.clients.clear();
	}

}
