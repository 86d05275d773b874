package io.github.captchasecurity.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end (gh-8, "failure threshold checked then incremented separately"): 50
 * concurrent junk tokens from one client against a slow reCAPTCHA stub on 127.0.0.1, with
 * {@code block-after: 10}. Each attempt is reserved before the provider is asked, so at
 * most 10 reach the provider and the rest are answered 429 at once.
 */
@SpringBootTest(classes = LoadTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=test-secret",
				"captcha.routes[0].path=/api/protected", "captcha.abuse.block-after=10",
				"captcha.abuse.step-up-after=0", "captcha.http.response-timeout=10s" })
class ConcurrentFailuresIntegrationTests {

	private static final WireMockServer provider = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort().containerThreads(80));

	private static final JsonMapper json = JsonMapper.builder().build();

	static {
		provider.start();
		// slow enough that all 50 requests are in flight before the first answer
		provider.stubFor(post("/siteverify").willReturn(aResponse().withFixedDelay(1500)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}")));
	}

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void providerUrl(DynamicPropertyRegistry registry) {
		registry.add("captcha.providers.google.verify-url", () -> provider.baseUrl() + "/siteverify");
	}

	@AfterAll
	static void stopProvider() {
		provider.stop();
	}

	@Test
	void fiftyConcurrentJunkTokensFromOneClientThenAtMostBlockAfterProviderCalls() throws Exception {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.executor(Executors.newFixedThreadPool(8))
			.build();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			responses.add(http
				.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/protected"))
					.header("X-Captcha-Token", "junk-token-" + i)
					.POST(HttpRequest.BodyPublishers.noBody())
					.timeout(Duration.ofSeconds(20))
					.build(), HttpResponse.BodyHandlers.ofString()));
		}
		List<String> codes = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			codes.add(json.readTree(response.get(30, TimeUnit.SECONDS).body()).path("code").asString());
		}

		int providerCalls = provider.findAll(postRequestedFor(urlEqualTo("/siteverify"))).size();
		assertThat(providerCalls).isLessThanOrEqualTo(10);
		assertThat(codes).containsOnly("captcha_invalid", "captcha_rate_limited");
		assertThat(codes.stream().filter("captcha_invalid"::equals).count()).isEqualTo(providerCalls);
		assertThat(codes.stream().filter("captcha_rate_limited"::equals).count()).isGreaterThanOrEqualTo(40);
	}

}
