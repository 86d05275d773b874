package io.github.captchasecurity.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.captchasecurity.annotation.RequireCaptcha;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.UrlHandlerFilter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path rewriting after the CAPTCHA filter, end to end on a real Tomcat: filters
 * registered as plain beans (which Spring Boot orders after ours) rewrite
 * {@code /api/signup/} to {@code /api/signup} (Spring's {@link UrlHandlerFilter}) and
 * {@code /v1/**} to {@code /api/**}; a controller forwards from an open path to a
 * protected handler. The Spring MVC interceptor must still check every handler that
 * requires a CAPTCHA, and verify each token exactly once (counted on the reCAPTCHA
 * siteverify stub).
 */
@SpringBootTest(classes = CaptchaHandlerInterceptorIntegrationTests.RewritingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.default-provider=google", "captcha.providers.google.type=recaptcha",
				"captcha.providers.google.secret=test-secret", "captcha.providers.google.hostnames=example.com",
				"captcha.routes[0].path=/api/contact", "captcha.routes[0].methods=POST",
				"captcha.routes[0].action=contact", "captcha.routes[1].path=/v1/legacy/**",
				"captcha.routes[1].action=legacy", "captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
class CaptchaHandlerInterceptorIntegrationTests {

	private static final WireMockServer provider = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private static final JsonMapper json = JsonMapper.builder().build();

	static {
		provider.start();
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void providerUrl(DynamicPropertyRegistry registry) {
		registry.add("captcha.providers.google.verify-url", () -> provider.baseUrl() + "/siteverify");
	}

	@AfterAll
	static void stopProvider() {
		provider.stop();
	}

	@BeforeEach
	void reset() {
		provider.resetAll();
		RewritingApplication.calls.set(0);
	}

	@Test
	void trailingSlashRewrittenAfterFilterWhenNoTokenThenRejectedAndControllerNeverRuns() throws Exception {
		assertRejected(postJson("/api/signup/", "{\"username\":\"bot\"}", null), 400, "captcha_missing");
		assertThat(RewritingApplication.calls).hasValue(0);
		provider.verify(0, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void trailingSlashRewrittenAfterFilterWhenForeignTokenThenRejected() throws Exception {
		assertRejected(postJson("/api/signup/", "{}", pass("contact")), 403, "captcha_action_mismatch");
		assertThat(RewritingApplication.calls).hasValue(0);
	}

	@Test
	void trailingSlashRewrittenAfterFilterWhenValidTokenInBodyThenVerifiedOnceAndHandlerReadsTheBody()
			throws Exception {
		String token = pass("signup");
		HttpResponse<String> response = postJson("/api/signup/",
				"{\"username\":\"alice\",\"captchaToken\":\"" + token + "\"}", null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(read(response).get("created").stringValue()).isEqualTo("alice");
		assertThat(RewritingApplication.calls).hasValue(1);
		provider.verify(1,
				postRequestedFor(urlEqualTo("/siteverify")).withRequestBody(containing("response=" + token)));
		assertRejected(postJson("/api/signup/", "{\"username\":\"alice\"}", token), 403, "captcha_replayed");
	}

	@Test
	void annotatedHandlerWhenVerifiedByFilterThenInterceptorDoesNotVerifyAgain() throws Exception {
		HttpResponse<String> response = postJson("/api/signup", "{\"username\":\"alice\"}", pass("signup"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(RewritingApplication.calls).hasValue(1);
		provider.verify(1, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void configuredRouteWithTrailingSlashThenFilterVerifiesOnceAndInterceptorAgrees() throws Exception {
		assertRejected(postJson("/api/contact/", "{}", null), 400, "captcha_missing");
		HttpResponse<String> response = postJson("/api/contact/", "{}", pass("contact"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(RewritingApplication.calls).hasValue(1);
		provider.verify(1, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void pathRewrittenIntoConfiguredRouteWhenNoTokenThenRejectedAndControllerNeverRuns() throws Exception {
		assertRejected(postJson("/v1/contact", "{}", null), 400, "captcha_missing");
		assertThat(RewritingApplication.calls).hasValue(0);
	}

	@Test
	void pathRewrittenIntoConfiguredRouteWhenValidTokenThenVerifiedOnce() throws Exception {
		HttpResponse<String> response = postJson("/v1/contact", "{}", pass("contact"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(RewritingApplication.calls).hasValue(1);
		provider.verify(1, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void pathRewrittenFromAnotherRouteWhenTokenPassedOnlyThatRouteThenCheckedForTheHandlersRule() throws Exception {
		// the filter verifies /v1/legacy/contact for captcha.routes[1]; the handler it
		// reaches needs routes[0]
		assertRejected(postJson("/v1/legacy/contact", "{}", pass("legacy")), 403, "captcha_replayed");
		assertThat(RewritingApplication.calls).hasValue(0);
	}

	@Test
	void forwardFromOpenPathToProtectedHandlerWhenNoTokenThenRejected() throws Exception {
		assertRejected(postJson("/open/forward", "{\"username\":\"bot\"}", null), 400, "captcha_missing");
		assertThat(RewritingApplication.calls).hasValue(0);
	}

	@Test
	void forwardFromOpenPathToProtectedHandlerWhenValidTokenThenVerifiedOnce() throws Exception {
		HttpResponse<String> response = postJson("/open/forward", "{\"username\":\"alice\"}", pass("signup"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(read(response).get("created").stringValue()).isEqualTo("alice");
		assertThat(RewritingApplication.calls).hasValue(1);
		provider.verify(1, postRequestedFor(urlEqualTo("/siteverify")));
	}

	@Test
	void forwardFromVerifiedHandlerToHandlerWithSameRuleThenNotVerifiedAgain() throws Exception {
		HttpResponse<String> response = postJson("/api/contact/forward", "{}", pass("contact"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(RewritingApplication.calls).hasValue(1);
		provider.verify(1, postRequestedFor(urlEqualTo("/siteverify")));
	}

	private String pass(String action) {
		String token = "tok-" + UUID.randomUUID();
		String answer = "{\"success\":true,\"score\":0.9,\"hostname\":\"example.com\",\"action\":\"" + action
				+ "\",\"challenge_ts\":\"" + Instant.now() + "\"}";
		provider.stubFor(post("/siteverify").withRequestBody(containing("response=" + token))
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answer)));
		return token;
	}

	private HttpResponse<String> postJson(String path, String body, String headerToken)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(10));
		if (headerToken != null) {
			request.header("X-Captcha-Token", headerToken);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode read(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	private static void assertRejected(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(read(response).get("code").stringValue()).isEqualTo(code);
	}

	/**
	 * Protected handlers, an open path forwarding to one, and two rewriting filters
	 * registered as plain beans.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ RewritingApplication.Api.class, RewritingApplication.Forwarding.class })
	static class RewritingApplication {

		static final AtomicInteger calls = new AtomicInteger();

		@Bean
		Filter trailingSlashFilter() {
			return UrlHandlerFilter.trailingSlashHandler("/**").wrapRequest().build();
		}

		@Bean
		Filter legacyPathFilter() {
			return new LegacyPathFilter();
		}

		@RestController
		static class Api {

			@PostMapping("/api/signup")
			@RequireCaptcha(action = "signup")
			Map<String, Object> signup(@RequestBody Map<String, Object> body) {
				calls.incrementAndGet();
				return Map.of("created", String.valueOf(body.get("username")));
			}

			/** Protected by captcha.routes[0]. */
			@PostMapping("/api/contact")
			Map<String, Object> contact() {
				calls.incrementAndGet();
				return Map.of("sent", true);
			}

		}

		@Controller
		static class Forwarding {

			@PostMapping("/open/forward")
			void open(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
				request.getRequestDispatcher("/api/signup").forward(request, response);
			}

			/**
			 * Under captcha.routes[0] too, and forwards to a handler with the same rule.
			 */
			@PostMapping("/api/contact/forward")
			void contactForward(HttpServletRequest request, HttpServletResponse response)
					throws ServletException, IOException {
				request.getRequestDispatcher("/api/contact").forward(request, response);
			}

		}

	}

	/**
	 * Serves {@code /v1/...} as {@code /api/...}, the way a rewriting filter of an
	 * application would.
	 */
	static final class LegacyPathFilter implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			if (request instanceof HttpServletRequest httpRequest && httpRequest.getRequestURI().startsWith("/v1/")) {
				String uri = httpRequest.getRequestURI();
				String rewritten = "/api/" + uri.substring(uri.lastIndexOf('/') + 1);
				chain.doFilter(new HttpServletRequestWrapper(httpRequest) {

					@Override
					public String getRequestURI() {
						return rewritten;
					}

					@Override
					public StringBuffer getRequestURL() {
						return new StringBuffer(httpRequest.getScheme() + "://" + httpRequest.getServerName() + ":"
								+ httpRequest.getServerPort() + rewritten);
					}

					@Override
					public String getServletPath() {
						return rewritten;
					}

					@Override
					public String getPathInfo() {
						return null;
					}

				}, response);
				return;
			}
			chain.doFilter(request, response);
		}

	}

}
