package io.github.captchasecurity.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * End to end on a real Tomcat (random port) with
 * {@code server.forward-headers-strategy=framework}, which makes Spring's
 * {@code ForwardedHeaderFilter} believe every client's {@code X-Forwarded-For}: without
 * trusted proxies the application refuses to start; accepted with
 * {@code captcha.client-ip.allow-forwarded-header-strategy}, the application sees the
 * spoofed addresses but failures are still counted per socket peer.
 */
class ForwardedHeaderStrategyIntegrationTests {

	private static final WireMockServer provider = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	static {
		provider.start();
	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@AfterAll
	static void stopProvider() {
		provider.stop();
	}

	@Test
	void startWhenFrameworkStrategyWithoutTrustedProxiesThenFailsNamingBothProperties() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> start().close()).satisfies((ex) -> {
			Throwable root = ex;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("server.forward-headers-strategy")
				.hasMessageContaining("captcha.client-ip.trusted-proxies")
				.hasMessageContaining("captcha.client-ip.allow-forwarded-header-strategy");
		});
	}

	@Test
	void requestsWhenFrameworkStrategyAcceptedThenSpoofedAddressesStillOneClient() throws Exception {
		provider.stubFor(post("/siteverify")
			.willReturn(okJson("{\"success\": false, \"error-codes\": " + "[\"invalid-input-response\"]}")));
		try (ConfigurableApplicationContext context = start(
				"--captcha.client-ip.allow-forwarded-header-strategy=true")) {
			int port = context.getEnvironment().getProperty("local.server.port", Integer.class);
			// the application behind ForwardedHeaderFilter believes the client-chosen
			// address
			HttpResponse<String> seen = send(port, "/api/whoami", "6.6.6.1", null);
			assertThat(seen.body()).contains("6.6.6.1");
			int rateLimited = 0;
			for (int i = 0; i < 20; i++) {
				HttpResponse<String> response = send(port, "/api/contact", "6.6.6." + (10 + i), "junk-token-" + i);
				if (response.statusCode() == 429) {
					rateLimited++;
				}
				else {
					assertThat(response.statusCode()).isEqualTo(403);
				}
			}
			// block-after 10 from one socket: the 11th and later are refused whatever
			// X-Forwarded-For says
			assertThat(rateLimited).isEqualTo(10);
		}
	}

	private HttpResponse<String> send(int port, String path, String forwardedFor, String token)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("X-Forwarded-For", forwardedFor)
			.POST(HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("X-Captcha-Token", token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static ConfigurableApplicationContext start(String... extra) {
		String[] args = new String[extra.length + 8];
		args[0] = "--server.port=0";
		args[1] = "--server.forward-headers-strategy=framework";
		args[2] = "--captcha.providers.google.type=recaptcha";
		args[3] = "--captcha.providers.google.secret=our-secret";
		args[4] = "--captcha.providers.google.verify-url=" + provider.baseUrl() + "/siteverify";
		args[5] = "--captcha.routes[0].path=/api/contact";
		args[6] = "--captcha.abuse.block-after=10";
		args[7] = "--spring.main.banner-mode=off";
		System.arraycopy(extra, 0, args, 8, extra.length);
		return new SpringApplicationBuilder(ForwardedApplication.class).run(args);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ForwardedApplication.Api.class)
	static class ForwardedApplication {

		@RestController
		static class Api {

			@PostMapping("/api/whoami")
			Map<String, Object> whoami(HttpServletRequest request) {
				return Map.of("remoteAddr", request.getRemoteAddr());
			}

			@PostMapping("/api/contact")
			Map<String, Object> contact() {
				return Map.of("sent", true);
			}

		}

	}

}
