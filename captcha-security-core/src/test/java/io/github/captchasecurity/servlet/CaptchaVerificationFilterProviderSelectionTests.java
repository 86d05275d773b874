package io.github.captchasecurity.servlet;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;

/**
 * Tests for {@link CaptchaVerificationFilter} on a route that accepts several providers:
 * the filter hands the fields that carried the token, the {@code X-Captcha-Provider}
 * header and the User-Agent to the engine.
 */
@ExtendWith(MockitoExtension.class)
class CaptchaVerificationFilterProviderSelectionTests {

	private static final String PATH = "/signup";

	private static final String TOKEN = "0.zTSnTXO2mTl5FYkRKDkbE2yN3Pp1HpjHjZ0Pz_cA4rQ.e2d7f3c1a9";

	@Mock
	private FilterChain chain;

	/** Provider name and request of each verification, in order. */
	private final List<String> asked = new CopyOnWriteArrayList<>();

	private final List<VerificationRequest> received = new CopyOnWriteArrayList<>();

	private CaptchaVerificationFilter filter;

	@BeforeEach
	void setUp() {
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(policy("local", "captcha-token", 64))
			.provider(policy("turnstile", "cf-turnstile-response", 2048))
			.provider(policy("hcaptcha", "h-captcha-response", 32 * 1024))
			.replayCache(new CaffeineReplayCache(1000))
			.build();
		CaptchaRuleResolver rules = (request) -> PATH.equals(RequestPaths.pathWithinApplication(request))
				? new CaptchaRule(List.of("local", "turnstile", "hcaptcha"), null, null, false) : null;
		this.filter = new CaptchaVerificationFilter(rules, new DefaultCaptchaTokenResolver(), service);
	}

	@Test
	void doFilterWhenTokenInTurnstileFieldThenTurnstileVerifiesIt() throws Exception {
		MockHttpServletRequest request = form();
		request.addParameter("cf-turnstile-response", TOKEN);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(this.asked).containsExactly("turnstile");
		then(this.chain).should().doFilter(request, response);
		VerificationResult result = (VerificationResult) request
			.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE);
		assertThat(result.provider()).isEqualTo("turnstile");
	}

	@Test
	void doFilterWhenHcaptchaFillsBothFieldsThenHcaptchaVerifiesIt() throws Exception {
		MockHttpServletRequest request = form();
		request.addParameter("h-captcha-response", TOKEN);
		request.addParameter("g-recaptcha-response", TOKEN);

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		assertThat(this.asked).containsExactly("hcaptcha");
	}

	@Test
	void doFilterWhenTokenInHeaderWithProviderHintThenHintedProviderVerifiesIt() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PATH);
		request.addHeader("X-Captcha-Token", TOKEN);
		request.addHeader(CaptchaVerificationFilter.PROVIDER_HEADER, "turnstile");

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		assertThat(this.asked).containsExactly("turnstile");
	}

	@Test
	void doFilterWhenTokenInHeaderWithoutHintThenFirstProviderOfRuleVerifiesIt() throws Exception {
		MockHttpServletRequest request = new TestRequest("POST", PATH);
		request.addHeader("X-Captcha-Token", "short-local-token");

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		assertThat(this.asked).containsExactly("local");
	}

	@Test
	void doFilterWhenUserAgentSentThenVerifierReceivesItWithClientIp() throws Exception {
		MockHttpServletRequest request = form();
		request.addParameter("cf-turnstile-response", TOKEN);
		request.addHeader("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0");
		request.setRemoteAddr("198.51.100.7");

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		assertThat(this.received).singleElement().satisfies((sent) -> {
			assertThat(sent.userAgent()).isEqualTo("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0");
			assertThat(sent.clientIp()).isEqualTo("198.51.100.7");
		});
	}

	@Test
	void doFilterWhenTurnstileTokenTooLongForTurnstileThenMalformedAndChainNeverRuns() throws Exception {
		MockHttpServletRequest request = form();
		request.addParameter("cf-turnstile-response", "a".repeat(2049));
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(this.asked).isEmpty();
		then(this.chain).shouldHaveNoInteractions();
	}

	private ProviderPolicy policy(String name, String formField, int maxTokenLength) {
		CaptchaVerifier verifier = (request) -> {
			this.asked.add(name);
			this.received.add(request);
			return new VerificationResult(VerificationOutcome.PASSED, name, null, null, null, null, List.of());
		};
		return new ProviderPolicy(name, verifier, Set.of(), null, Duration.ofMinutes(5), Duration.ofMinutes(5),
				maxTokenLength, false, formField);
	}

	private static MockHttpServletRequest form() {
		MockHttpServletRequest request = new TestRequest("POST", PATH);
		request.setContentType("application/x-www-form-urlencoded");
		return request;
	}

}
