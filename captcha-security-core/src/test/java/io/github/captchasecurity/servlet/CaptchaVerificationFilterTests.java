package io.github.captchasecurity.servlet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link CaptchaVerificationFilter} with mock servlet objects, a mocked chain
 * and a stub provider.
 */
@ExtendWith(MockitoExtension.class)
class CaptchaVerificationFilterTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PROVIDER = "recaptcha";

	private static final String PROTECTED_PATH = "/api/contact";

	private static final String TOKEN = "03AGdBq25SxXT-pmSeBXjzScW-EiocHwwpwqtk1QXlJnGnUJCyrgjrBQ3JVxn2tPSb";

	@Mock
	private FilterChain chain;

	private final List<VerificationRequest> received = new CopyOnWriteArrayList<>();

	private VerificationResult answer = passed();

	private CaptchaVerificationFilter filter;

	@BeforeEach
	void setUp() {
		ProviderPolicy policy = new ProviderPolicy(PROVIDER, (request) -> {
			this.received.add(request);
			return this.answer;
		}, Set.of(), null, Duration.ofMinutes(2), Duration.ofMinutes(2), 4000);
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(policy)
			.replayCache(new CaffeineReplayCache(1000))
			.build();
		CaptchaRuleResolver rules = (request) -> PROTECTED_PATH.equals(RequestPaths.pathWithinApplication(request))
				? new CaptchaRule(null, "contact", null) : null;
		this.filter = new CaptchaVerificationFilter(rules, new DefaultCaptchaTokenResolver(), service);
	}

	@Test
	void doFilterWhenRouteNotProtectedThenChainRunsWithoutVerification() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", "/api/other");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).should().doFilter(request, response);
		then(this.chain).shouldHaveNoMoreInteractions();
		assertThat(this.received).isEmpty();
		assertThat(request.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE)).isNull();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenProtectedWithoutTokenThenProblemAndChainNeverRuns() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(this.received).isEmpty();
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		assertThat(response.getHeader("Retry-After")).isNull();
		JsonNode problem = problem(response);
		assertThat(problem.get("code").stringValue()).isEqualTo("captcha_missing");
		assertThat(problem.get("status").intValue()).isEqualTo(400);
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:captcha-security:error:captcha_missing");
		assertThat(problem.get("title").stringValue()).isEqualTo("No CAPTCHA token was sent");
		assertThat(problem.get("detail").stringValue()).isNotBlank();
		assertThat(problem.get("instance").stringValue()).isEqualTo(PROTECTED_PATH);
		assertThat(request.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE)).isNull();
	}

	@Test
	void doFilterWhenProtectedPathSpelledDifferentlyThenStillProtected() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", "/api/./%63ontact;x=1/");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(response.getStatus()).isEqualTo(400);
	}

	@ParameterizedTest(name = "{0} -> {1} {2}")
	@CsvSource({ "INVALID,              403, captcha_invalid", "EXPIRED,              403, captcha_expired",
			"PROVIDER_UNAVAILABLE, 503, captcha_provider_unavailable" })
	void doFilterWhenProviderRejectsTokenThenProblemAndChainNeverRuns(VerificationOutcome outcome, int status,
			String code) throws Exception {
		this.answer = new VerificationResult(outcome, PROVIDER, null, null, null, null, List.of("some-error"));
		MockHttpServletRequest request = protectedRequest(TOKEN);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(this.received).hasSize(1);
		assertThat(response.getStatus()).isEqualTo(status);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		JsonNode problem = problem(response);
		assertThat(problem.get("code").stringValue()).isEqualTo(code);
		assertThat(problem.get("status").intValue()).isEqualTo(status);
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:captcha-security:error:" + code);
		assertThat(problem.get("title").stringValue()).isEqualTo(outcome.title());
		assertThat(response.getContentAsString()).doesNotContain(TOKEN).doesNotContain("some-error");
		assertThat(request.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE)).isNull();
	}

	@Test
	void doFilterWhenProviderUnavailableThenRetryAfterSent() throws Exception {
		this.answer = VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, PROVIDER);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(protectedRequest(TOKEN), response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
	}

	@ParameterizedTest
	@EnumSource(value = VerificationOutcome.class, names = "PASSED", mode = EnumSource.Mode.EXCLUDE)
	void doFilterWhenAnyRejectionThenStatusOfOutcomeAndBodyNeverContainsToken(VerificationOutcome outcome)
			throws Exception {
		this.answer = new VerificationResult(outcome, PROVIDER, 0.1, "contact", "evil.example", null,
				List.of("invalid-input-response"));
		MockHttpServletRequest request = protectedRequest(TOKEN);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(response.getStatus()).isEqualTo(outcome.status());
		assertThat(problem(response).get("code").stringValue()).isEqualTo(outcome.code());
		assertThat(response.getContentAsString()).doesNotContain(TOKEN)
			.doesNotContain(TOKEN.substring(0, 20))
			.doesNotContain("evil.example");
		assertThat(response.getHeaderNames())
			.allSatisfy((name) -> assertThat(response.getHeader(name)).doesNotContain(TOKEN));
	}

	@Test
	void doFilterWhenTokenReplayedThenRejectedAndChainRunsOnlyOnce() throws Exception {
		CapturingResponse first = new CapturingResponse();
		CapturingResponse second = new CapturingResponse();
		MockHttpServletRequest firstRequest = protectedRequest(TOKEN);
		MockHttpServletRequest secondRequest = protectedRequest(TOKEN);

		this.filter.doFilter(firstRequest, first, this.chain);
		this.filter.doFilter(secondRequest, second, this.chain);

		then(this.chain).should().doFilter(firstRequest, first);
		then(this.chain).shouldHaveNoMoreInteractions();
		assertThat(second.getStatus()).isEqualTo(403);
		assertThat(problem(second).get("code").stringValue()).isEqualTo("captcha_replayed");
		assertThat(this.received).hasSize(1);
	}

	@Test
	void doFilterWhenTwoDifferentTokensThenMalformedAndChainNeverRuns() throws Exception {
		MockHttpServletRequest request = protectedRequest(TOKEN);
		request.addHeader("X-Captcha-Token", "another-token");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(this.received).isEmpty();
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(problem(response).get("code").stringValue()).isEqualTo("captcha_malformed");
		assertThat(response.getContentAsString()).doesNotContain(TOKEN).doesNotContain("another-token");
	}

	@Test
	void doFilterWhenJsonBodyTooLargeThenPayloadTooLargeAndChainNeverRuns() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		request.setContentType("application/json");
		request.setContent(("{\"captchaToken\": \"" + TOKEN + "\", \"text\": \"" + "x".repeat(70_000) + "\"}")
			.getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(this.received).isEmpty();
		assertThat(response.getStatus()).isEqualTo(413);
		assertThat(problem(response).get("code").stringValue()).isEqualTo("captcha_body_too_large");
	}

	@Test
	void doFilterWhenTokenPassesThenChainRunsWithResultAttribute() throws Exception {
		this.answer = new VerificationResult(VerificationOutcome.PASSED, PROVIDER, 0.9, "contact", "example.com", null,
				List.of());
		MockHttpServletRequest request = protectedRequest(TOKEN);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).should().doFilter(request, response);
		then(this.chain).shouldHaveNoMoreInteractions();
		assertThat(request.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE))
			.isInstanceOfSatisfying(VerificationResult.class, (result) -> {
				assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
				assertThat(result.provider()).isEqualTo(PROVIDER);
				assertThat(result.score()).isEqualTo(0.9);
				assertThat(result.action()).isEqualTo("contact");
			});
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEmpty();
	}

	@Test
	void doFilterWhenTokenInJsonBodyThenChainGetsRequestWithFullBody() throws Exception {
		byte[] body = ("{\"captchaToken\": \"" + TOKEN + "\", \"message\": \"hello\"}")
			.getBytes(StandardCharsets.UTF_8);
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		request.setContentType("application/json");
		request.setContent(body);
		CapturingResponse response = new CapturingResponse();
		AtomicReference<byte[]> seenBody = new AtomicReference<>();
		FilterChain readingChain = (chainRequest, chainResponse) -> seenBody
			.set(chainRequest.getInputStream().readAllBytes());

		this.filter.doFilter(request, response, readingChain);

		assertThat(seenBody.get()).isEqualTo(body);
		assertThat(this.received).singleElement()
			.satisfies((verification) -> assertThat(verification.token()).isEqualTo(TOKEN));
		assertThat(request.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE))
			.isInstanceOf(VerificationResult.class);
	}

	@Test
	void doFilterWhenErrorDispatchThenSkipped() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		request.setDispatcherType(DispatcherType.ERROR);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).should().doFilter(request, response);
		assertThat(this.received).isEmpty();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenAsyncDispatchThenSkipped() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		request.setDispatcherType(DispatcherType.ASYNC);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).should().doFilter(request, response);
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenCorsPreflightThenSkipped() throws Exception {
		MockHttpServletRequest request = new TestRequest("OPTIONS", PROTECTED_PATH);
		request.addHeader("Origin", "https://example.com");
		request.addHeader("Access-Control-Request-Method", "POST");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).should().doFilter(request, response);
		assertThat(this.received).isEmpty();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenOptionsWithoutPreflightHeadersThenVerified() throws Exception {
		MockHttpServletRequest request = new TestRequest("OPTIONS", PROTECTED_PATH);
		request.addHeader("Origin", "https://example.com");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(response.getStatus()).isEqualTo(400);
	}

	@Test
	void doFilterWhenForwardOfPassedRequestThenNotVerifiedAgain() throws Exception {
		MockHttpServletRequest request = protectedRequest(TOKEN);
		CapturingResponse response = new CapturingResponse();
		this.filter.doFilter(request, response, this.chain);
		FilterChain forwardChain = mock(FilterChain.class);

		request.setDispatcherType(DispatcherType.FORWARD);
		this.filter.doFilter(request, response, forwardChain);

		then(this.chain).should().doFilter(request, response);
		then(forwardChain).should().doFilter(request, response);
		assertThat(this.received).hasSize(1);
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenForwardOfUnverifiedRequestToProtectedRouteThenVerified() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		request.setDispatcherType(DispatcherType.FORWARD);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(response.getStatus()).isEqualTo(400);
	}

	@Test
	void doFilterWhenCustomFailureHandlerThenItAnswersAndChainNeverRuns() throws Exception {
		AtomicReference<CaptchaVerificationException> handled = new AtomicReference<>();
		this.filter.setFailureHandler((request, response, exception) -> {
			handled.set(exception);
			response.setStatus(418);
		});
		this.answer = new VerificationResult(VerificationOutcome.INVALID, PROVIDER, null, null, null, null,
				List.of("invalid-input-response"));
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(protectedRequest(TOKEN), response, this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(handled.get()).isNotNull();
		assertThat(handled.get().getOutcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(handled.get().getResult().errorCodes()).containsExactly("invalid-input-response");
		assertThat(handled.get().getMessage()).doesNotContain(TOKEN);
		assertThat(response.getStatus()).isEqualTo(418);
		assertThat(response.getContentAsString()).isEmpty();
	}

	@Test
	void doFilterWhenCustomFailureHandlerAndTokenMissingThenHandlerGetsMissing() throws Exception {
		AtomicReference<CaptchaVerificationException> handled = new AtomicReference<>();
		this.filter.setFailureHandler((request, response, exception) -> handled.set(exception));

		this.filter.doFilter(new TestRequest("POST", PROTECTED_PATH), new CapturingResponse(), this.chain);

		then(this.chain).shouldHaveNoInteractions();
		assertThat(handled.get().getOutcome()).isEqualTo(VerificationOutcome.MISSING);
	}

	@Test
	void doFilterWhenClientIpResolverSetThenItsValueReachesVerifier() throws Exception {
		this.filter.setClientIpResolver((request) -> request.getHeader("X-Forwarded-For"));
		MockHttpServletRequest request = protectedRequest(TOKEN);
		request.setRemoteAddr("10.0.0.1");
		request.addHeader("X-Forwarded-For", "203.0.113.7");

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		assertThat(this.received).singleElement()
			.satisfies((verification) -> assertThat(verification.clientIp()).isEqualTo("203.0.113.7"));
	}

	@Test
	void doFilterWhenNoClientIpResolverThenRemoteAddressReachesVerifier() throws Exception {
		MockHttpServletRequest request = protectedRequest(TOKEN);
		request.setRemoteAddr("198.51.100.23");

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		assertThat(this.received).singleElement().satisfies((verification) -> {
			assertThat(verification.clientIp()).isEqualTo("198.51.100.23");
			assertThat(verification.expectedAction()).isEqualTo("contact");
		});
	}

	@Test
	void doFilterWhenNotHttpThenChainRuns() throws Exception {
		ServletRequest request = mock(ServletRequest.class);
		ServletResponse response = mock(ServletResponse.class);

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).should().doFilter(request, response);
		assertThat(this.received).isEmpty();
	}

	@Test
	void doFilterWhenChainCalledThenWithRequestPassedOnByResolver() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		request.setContentType("application/json");
		request.setContent(("{\"captchaToken\": \"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();
		ArgumentCaptor<ServletRequest> passedOn = ArgumentCaptor.forClass(ServletRequest.class);

		this.filter.doFilter(request, response, this.chain);

		then(this.chain).should().doFilter(passedOn.capture(), any(ServletResponse.class));
		assertThat(passedOn.getValue()).isNotSameAs(request).isInstanceOf(HttpServletRequest.class);
		assertThat(passedOn.getValue().getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE))
			.isInstanceOf(VerificationResult.class);
	}

	@Test
	void doFilterWhenTokenPassesThenRequestMarkedWithTheRuleMethodAndUriVerified() throws Exception {
		MockHttpServletRequest request = protectedRequest(TOKEN);

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		VerifiedRequest verified = VerifiedRequest.of(request);
		assertThat(verified)
			.isEqualTo(new VerifiedRequest(new CaptchaRule(null, "contact", null), "POST", PROTECTED_PATH));
		assertThat(verified.covers(request, new CaptchaRule(null, "other", null))).isTrue();
		MockHttpServletRequest rewritten = new TestRequest("POST", PROTECTED_PATH + "/");
		assertThat(verified.covers(rewritten, new CaptchaRule(null, "contact", null))).isTrue();
		assertThat(verified.covers(rewritten, new CaptchaRule(null, "other", null))).isFalse();
	}

	@Test
	void verifyWhenRequestRewrittenAfterTheFilterThenTokenFoundInBodyAndHandlerStillReadsAllOfIt() throws Exception {
		byte[] body = ("{\"captchaToken\": \"" + TOKEN + "\", \"message\": \"hello\"}")
			.getBytes(StandardCharsets.UTF_8);
		MockHttpServletRequest request = new TestRequest("POST", "/api/contact-v1");
		request.setContentType("application/json");
		request.setContent(body);
		CapturingResponse response = new CapturingResponse();
		AtomicReference<byte[]> seenBody = new AtomicReference<>();
		FilterChain rewritingChainThenInterceptor = (chainRequest, chainResponse) -> {
			HttpServletRequest rewritten = new HttpServletRequestWrapper((HttpServletRequest) chainRequest) {
				@Override
				public String getRequestURI() {
					return PROTECTED_PATH;
				}
			};
			HttpServletRequest passedOn = this.filter.verify(rewritten, response,
					new CaptchaRule(null, "contact", null));
			assertThat(passedOn).isNotNull();
			seenBody.set(rewritten.getInputStream().readAllBytes());
		};

		this.filter.doFilter(request, response, rewritingChainThenInterceptor);

		assertThat(this.received).singleElement()
			.satisfies((verification) -> assertThat(verification.token()).isEqualTo(TOKEN));
		assertThat(seenBody.get()).isEqualTo(body);
		assertThat(VerifiedRequest.of(request))
			.isEqualTo(new VerifiedRequest(new CaptchaRule(null, "contact", null), "POST", PROTECTED_PATH));
	}

	@Test
	void doFilterWhenNoRuleMayProtectTheMethodThenRequestPassedOnAsIsWithoutResolving() throws Exception {
		AtomicReference<String> resolved = new AtomicReference<>();
		CaptchaRuleResolver postOnly = new CaptchaRuleResolver() {

			@Override
			public CaptchaRule resolve(HttpServletRequest request) {
				resolved.set(request.getMethod());
				return null;
			}

			@Override
			public boolean mayProtect(String method) {
				return "POST".equalsIgnoreCase(method);
			}

		};
		CaptchaVerificationFilter indexed = new CaptchaVerificationFilter(CaptchaRuleResolver.firstOf(postOnly),
				new DefaultCaptchaTokenResolver(),
				CaptchaVerificationService.builder()
					.provider(new ProviderPolicy(PROVIDER, (request) -> passed(), Set.of(), null, Duration.ofMinutes(2),
							Duration.ofMinutes(2), 4000))
					.replayCache(new CaffeineReplayCache(10))
					.build());
		MockHttpServletRequest open = new TestRequest("PUT", "/api/open");
		open.setContentType("application/json");
		open.setContent("{}".getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();

		indexed.doFilter(open, response, this.chain);

		then(this.chain).should().doFilter(open, response);
		assertThat(resolved.get()).isNull();
		assertThat(open.getAttribute(DeferredBodyRequest.ATTRIBUTE)).isNull();

		MockHttpServletRequest post = new TestRequest("post", "/api/other");
		post.setContentType("application/json");
		indexed.doFilter(post, response, this.chain);

		assertThat(resolved.get()).isEqualTo("post");
		assertThat(post.getAttribute(DeferredBodyRequest.ATTRIBUTE)).isNotNull();
	}

	@Test
	void firstOfWhenNoResolverMayProtectTheMethodThenNeitherDoesTheCombination() {
		CaptchaRuleResolver post = new CaptchaRuleResolver() {

			@Override
			public CaptchaRule resolve(HttpServletRequest request) {
				return null;
			}

			@Override
			public boolean mayProtect(String method) {
				return "POST".equals(method);
			}

		};
		CaptchaRuleResolver unknown = (request) -> null;

		assertThat(CaptchaRuleResolver.firstOf(post).mayProtect("GET")).isFalse();
		assertThat(CaptchaRuleResolver.firstOf(post).mayProtect("POST")).isTrue();
		assertThat(CaptchaRuleResolver.firstOf(post, unknown).mayProtect("GET")).isTrue();
		assertThat(CaptchaRuleResolver.firstOf().mayProtect("GET")).isFalse();
	}

	private static MockHttpServletRequest protectedRequest(String token) {
		MockHttpServletRequest request = new TestRequest("POST", PROTECTED_PATH);
		request.addHeader("X-Captcha-Token", token);
		return request;
	}

	private static VerificationResult passed() {
		// the protected route expects the action contact
		return VerificationResult.passedBy(PROVIDER).action("contact").build();
	}

	private static JsonNode problem(CapturingResponse response) {
		assertThat(response.getContentType()).startsWith("application/problem+json");
		return JSON.readTree(response.getContentAsByteArray());
	}

}
