package io.github.captchasecurity.servlet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.clientip.TrustedProxyClientIpResolver;
import io.github.captchasecurity.provider.builtin.MutableClock;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.then;

/**
 * Tests for {@link CaptchaVerificationFilter} and
 * {@link ProblemDetailCaptchaFailureHandler} with abuse control and escalation: 429 with
 * {@code Retry-After}, 403 with a {@code challenge} object, the account and client IP the
 * filter hands to the engine. Stub providers; time is a {@link MutableClock}.
 */
@ExtendWith(MockitoExtension.class)
class CaptchaVerificationFilterAbuseTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final String PATH = "/login";

	private static final String PRIMARY = "recaptcha";

	private static final String STRONG = "builtin";

	private static final String CLIENT = "198.51.100.7";

	private static final String PROXY = "10.0.0.2";

	@Mock
	private FilterChain chain;

	private final MutableClock clock = new MutableClock(START);

	private final CaffeineFailureCounter counter = new CaffeineFailureCounter(1000, this.clock);

	private final List<VerificationContext> contexts = new CopyOnWriteArrayList<>();

	private final List<String> asked = new CopyOnWriteArrayList<>();

	private VerificationResult primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);

	private int tokenNumber;

	private CaptchaVerificationFilter filter;

	@BeforeEach
	void setUp() {
		ProviderPolicy primary = new ProviderPolicy(PRIMARY, (request) -> {
			this.asked.add(PRIMARY);
			return this.primaryAnswer;
		}, Set.of(), null, Duration.ofMinutes(2), Duration.ofMinutes(2), 4000, true, "g-recaptcha-response");
		ProviderPolicy strong = new ProviderPolicy(STRONG, (request) -> {
			this.asked.add(STRONG);
			return new VerificationResult(VerificationOutcome.PASSED, STRONG, null, "login", null, null, List.of());
		}, Set.of(), null, Duration.ofMinutes(2), Duration.ofMinutes(2), 4000, false, "captcha-token");
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(primary)
			.provider(strong)
			.replayCache(new CaffeineReplayCache(1000))
			.clock(this.clock)
			.abuseControl(new AbuseSettings(2, 4, Duration.ofMinutes(15)), this.counter)
			.escalationChallenges((provider, action, context) -> Map.of("type", "grid", "site_key", "public-key"))
			.listener((rule, result, context) -> this.contexts.add(context))
			.build();
		CaptchaRule rule = new CaptchaRule(List.of(PRIMARY), "login", 0.3, false, 0.7, STRONG, false);
		CaptchaRuleResolver rules = (request) -> PATH.equals(RequestPaths.pathWithinApplication(request)) ? rule : null;
		this.filter = new CaptchaVerificationFilter(rules, new DefaultCaptchaTokenResolver(), service);
		this.filter.setAccountResolver((request) -> request.getParameter("username"));
	}

	// --- 429

	@Test
	void doFilterWhenBlockedThen429WithRetryAfterSecondsAndChainNeverRuns() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		for (int i = 0; i < 4; i++) {
			assertThat(run(request(CLIENT, null)).getStatus()).isEqualTo(403);
		}
		this.clock.advance(Duration.ofMinutes(3));
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);

		CapturingResponse response = run(request(CLIENT, null));

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("Retry-After")).isEqualTo("720");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		JsonNode problem = problem(response);
		assertThat(problem.get("code").stringValue()).isEqualTo("captcha_rate_limited");
		assertThat(problem.get("status").intValue()).isEqualTo(429);
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:captcha-security:error:captcha_rate_limited");
		assertThat(problem.get("instance").stringValue()).isEqualTo(PATH);
		assertThat(problem.has("challenge")).isFalse();
		assertThat(this.asked).hasSize(4);
		then(this.chain).shouldHaveNoInteractions();
	}

	@Test
	void doFilterWhenBlockWindowEndsThenChainRunsAgain() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		for (int i = 0; i < 4; i++) {
			run(request(CLIENT, null));
		}
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);
		this.clock.advance(Duration.ofMinutes(15));
		MockHttpServletRequest request = request(CLIENT, null);

		CapturingResponse response = run(request);

		assertThat(response.getStatus()).isEqualTo(200);
		then(this.chain).should().doFilter(any(), any());
	}

	@Test
	void doFilterWhenMissingTokensRepeatedThenBlocked() throws Exception {
		for (int i = 0; i < 4; i++) {
			MockHttpServletRequest request = new TestRequest("POST", PATH);
			request.setRemoteAddr(CLIENT);
			assertThat(run(request).getStatus()).isEqualTo(400);
		}

		assertThat(run(request(CLIENT, null)).getStatus()).isEqualTo(429);
		assertThat(this.asked).isEmpty();
	}

	// --- 403 escalation

	@Test
	void doFilterWhenScoreInBandThen403WithChallengeObject() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);

		CapturingResponse response = run(request(CLIENT, null));

		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getHeader("Retry-After")).isNull();
		JsonNode problem = problem(response);
		assertThat(problem.get("code").stringValue()).isEqualTo("captcha_escalation_required");
		assertThat(problem.get("status").intValue()).isEqualTo(403);
		JsonNode challenge = problem.get("challenge");
		assertThat(challenge).isNotNull();
		assertThat(challenge.isObject()).isTrue();
		assertThat(challenge.get("provider").stringValue()).isEqualTo(STRONG);
		assertThat(challenge.get("reason").stringValue()).isEqualTo("score");
		assertThat(challenge.get("provider_header").stringValue()).isEqualTo("X-Captcha-Provider");
		assertThat(challenge.get("type").stringValue()).isEqualTo("grid");
		assertThat(challenge.get("site_key").stringValue()).isEqualTo("public-key");
		then(this.chain).shouldHaveNoInteractions();
	}

	@Test
	void doFilterWhenRetriedWithEscalationProviderHeaderThenChainRuns() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);
		assertThat(run(request(CLIENT, null)).getStatus()).isEqualTo(403);
		MockHttpServletRequest retry = request(CLIENT, null);
		retry.addHeader(CaptchaVerificationFilter.PROVIDER_HEADER, STRONG);

		CapturingResponse response = run(retry);

		assertThat(response.getStatus()).isEqualTo(200);
		then(this.chain).should().doFilter(any(), any());
		assertThat(this.asked).containsExactly(PRIMARY, STRONG);
		VerificationResult result = (VerificationResult) retry.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE);
		assertThat(result.provider()).isEqualTo(STRONG);
	}

	@Test
	void doFilterWhenRejectedWithoutEscalationThenNoChallengeMember() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);

		JsonNode problem = problem(run(request(CLIENT, null)));

		assertThat(problem.get("code").stringValue()).isEqualTo("captcha_invalid");
		assertThat(problem.has("challenge")).isFalse();
	}

	// --- account and client IP

	@Test
	void doFilterWhenAccountResolverSetThenFailuresCountedPerAccount() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);

		run(request(CLIENT, "Alice"));
		run(request("203.0.113.9", "alice"));

		assertThat(this.contexts).extracting(VerificationContext::account).containsExactly("Alice", "alice");
		assertThat(this.counter.count("account:alice")).isEqualTo(2);
		assertThat(this.counter.count("ip:" + CLIENT)).isEqualTo(1);
	}

	@Test
	void doFilterWhenAccountBlockedThen429FromAnyIp() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		for (int i = 1; i <= 4; i++) {
			run(request("192.0.2." + i, "alice"));
		}
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);

		assertThat(run(request(CLIENT, "ALICE")).getStatus()).isEqualTo(429);
		assertThat(run(request(CLIENT, "bob")).getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenAccountSteppedUpThen403StepUp() throws Exception {
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		run(request("192.0.2.1", "alice"));
		run(request("192.0.2.2", "alice"));
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.95);

		CapturingResponse response = run(request(CLIENT, "alice"));

		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(problem(response).get("challenge").get("reason").stringValue()).isEqualTo("step-up");
	}

	@Test
	void doFilterWhenNoAccountResolverThenNoAccount() throws Exception {
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(PRIMARY, (request) -> primary(VerificationOutcome.INVALID, null), Set.of(),
					null, Duration.ofMinutes(2), Duration.ofMinutes(2), 4000))
			.replayCache(new CaffeineReplayCache(1000))
			.abuseControl(new AbuseSettings(2, 4, Duration.ofMinutes(15)), this.counter)
			.listener((rule, result, context) -> this.contexts.add(context))
			.build();
		CaptchaVerificationFilter plain = new CaptchaVerificationFilter((request) -> CaptchaRule.defaults(),
				new DefaultCaptchaTokenResolver(), service);

		plain.doFilter(request(CLIENT, "alice"), new CapturingResponse(), this.chain);

		assertThat(this.contexts).singleElement().extracting(VerificationContext::account).isNull();
		assertThat(this.counter.count("account:alice")).isZero();
		assertThat(this.counter.count("ip:" + CLIENT)).isEqualTo(1);
	}

	@Test
	void doFilterWhenClientIpResolverTrustsProxyThenFailuresCountedForForwardedClient() throws Exception {
		this.filter.setClientIpResolver(new TrustedProxyClientIpResolver(List.of("10.0.0.0/8")));
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		MockHttpServletRequest request = request(PROXY, null);
		request.addHeader("X-Forwarded-For", "6.6.6.6, " + CLIENT);

		run(request);

		assertThat(this.contexts).singleElement().extracting(VerificationContext::clientIp).isEqualTo(CLIENT);
		assertThat(this.counter.count("ip:" + CLIENT)).isEqualTo(1);
		assertThat(this.counter.count("ip:6.6.6.6")).isZero();
		assertThat(this.counter.count("ip:" + PROXY)).isZero();
	}

	@Test
	void doFilterWhenUntrustedPeerSpoofsForwardedForThenPeerBlockedNotSpoofedAddress() throws Exception {
		this.filter.setClientIpResolver(new TrustedProxyClientIpResolver(List.of("10.0.0.0/8")));
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		for (int i = 0; i < 4; i++) {
			MockHttpServletRequest request = request(CLIENT, null);
			request.addHeader("X-Forwarded-For", "192.0.2." + i);
			run(request);
		}
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);
		MockHttpServletRequest spoofing = request(CLIENT, null);
		spoofing.addHeader("X-Forwarded-For", "192.0.2.99");

		assertThat(run(spoofing).getStatus()).isEqualTo(429);
		assertThat(this.counter.count("ip:" + CLIENT)).isEqualTo(4);
	}

	// --- the failure handler on its own

	@Test
	void onFailureWhenRateLimitedUnderOneSecondThenRetryAfterOne() throws Exception {
		CapturingResponse response = handle(
				VerificationResult.of(VerificationOutcome.RATE_LIMITED, PRIMARY).rateLimited(Duration.ofMillis(300)));

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
	}

	@Test
	void onFailureWhenRateLimitedWholeSecondsThenRetryAfterThoseSeconds() throws Exception {
		CapturingResponse response = handle(
				VerificationResult.of(VerificationOutcome.RATE_LIMITED, PRIMARY).rateLimited(Duration.ofMinutes(12)));

		assertThat(response.getHeader("Retry-After")).isEqualTo("720");
		assertThat(problem(response).get("code").stringValue()).isEqualTo("captcha_rate_limited");
	}

	@Test
	void onFailureWhenRateLimitedWithFractionOfSecondThenRetryAfterRoundedUp() throws Exception {
		CapturingResponse response = handle(
				VerificationResult.of(VerificationOutcome.RATE_LIMITED, PRIMARY).rateLimited(Duration.ofMillis(1500)));

		assertThat(response.getHeader("Retry-After")).isEqualTo("2");
	}

	@Test
	void onFailureWhenEscalatedThenChallengeMembersWrittenAsObject() throws Exception {
		VerificationResult escalated = VerificationResult.of(VerificationOutcome.PASSED, PRIMARY)
			.escalated(Map.of("provider", STRONG, "size", 300, "reason", "policy"));

		CapturingResponse response = handle(escalated);

		assertThat(response.getStatus()).isEqualTo(403);
		JsonNode challenge = problem(response).get("challenge");
		assertThat(challenge.get("provider").stringValue()).isEqualTo(STRONG);
		assertThat(challenge.get("size").intValue()).isEqualTo(300);
		assertThat(challenge.get("reason").stringValue()).isEqualTo("policy");
	}

	private CapturingResponse run(MockHttpServletRequest request) throws Exception {
		CapturingResponse response = new CapturingResponse();
		this.filter.doFilter(request, response, this.chain);
		return response;
	}

	private static CapturingResponse handle(VerificationResult result) throws Exception {
		CapturingResponse response = new CapturingResponse();
		new ProblemDetailCaptchaFailureHandler().onFailure(new TestRequest("POST", PATH), response,
				new CaptchaVerificationException(result));
		return response;
	}

	private MockHttpServletRequest request(String peer, String username) {
		MockHttpServletRequest request = new TestRequest("POST", PATH);
		request.setRemoteAddr(peer);
		request.addHeader("X-Captcha-Token", "tok-" + (++this.tokenNumber) + "-Hs8Kd2");
		if (username != null) {
			request.setContentType("application/x-www-form-urlencoded");
			request.addParameter("username", username);
		}
		return request;
	}

	private static VerificationResult primary(VerificationOutcome outcome, Double score) {
		return new VerificationResult(outcome, PRIMARY, score, (outcome == VerificationOutcome.PASSED) ? "login" : null,
				null, null, List.of());
	}

	private static JsonNode problem(CapturingResponse response) {
		assertThat(response.getContentType()).startsWith("application/problem+json");
		return JSON.readTree(response.getContentAsByteArray());
	}

}
