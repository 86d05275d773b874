package io.github.captchasecurity.servlet;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Tests for the held-back answer of {@link CaptchaVerificationFilter} when every allowed
 * verification is in flight ({@link CaptchaVerificationService#BUSY}): the request goes
 * asynchronous, so its thread is free at once, and the 503 is written after the delay.
 * The provider is an in-process verifier that holds the only slot until the test lets it
 * go.
 */
class CaptchaVerificationFilterBusyTests {

	private static final String PATH = "/api/contact";

	private volatile CountDownLatch held = new CountDownLatch(1);

	private volatile CountDownLatch release = new CountDownLatch(1);

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	private final FilterChain chain = mock(FilterChain.class);

	private CaptchaVerificationFilter filter;

	private Future<?> holder;

	@BeforeEach
	void holdTheOnlySlot() throws Exception {
		CaptchaVerifier holding = new CaptchaVerifier() {

			@Override
			public VerificationResult verify(VerificationRequest request) {
				// both latches read before telling the test that the slot is held: the
				// test
				// replaces them for the next call only after that
				CountDownLatch release = CaptchaVerificationFilterBusyTests.this.release;
				CaptchaVerificationFilterBusyTests.this.held.countDown();
				try {
					release.await(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return VerificationResult.of(VerificationOutcome.PASSED, "hosted");
			}

			@Override
			public boolean isRemote() {
				return true;
			}

		};
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy("hosted", holding, Set.of(), null, Duration.ofMinutes(2),
					Duration.ofMinutes(2), 4000))
			.replayCache(new CaffeineReplayCache(1000))
			.maxConcurrentVerifications(1)
			.maxWaitForVerification(Duration.ZERO)
			.build();
		this.filter = new CaptchaVerificationFilter(
				(request) -> PATH.equals(RequestPaths.pathWithinApplication(request)) ? CaptchaRule.defaults() : null,
				new DefaultCaptchaTokenResolver(), service);
		this.holder = this.executor.submit(() -> {
			this.filter.doFilter(request("first-token"), new CapturingResponse(), mock(FilterChain.class));
			return null;
		});
		assertThat(this.held.await(20, TimeUnit.SECONDS)).isTrue();
	}

	@AfterEach
	void letGo() throws Exception {
		this.release.countDown();
		this.holder.get(20, TimeUnit.SECONDS);
		this.executor.shutdownNow();
		this.filter.destroy();
	}

	@Test
	void doFilterWhenStalledAndDelayThenAnsweredAsynchronouslyAfterTheDelay() throws Exception {
		this.filter.setBusyAnswerDelay(Duration.ofMillis(300));
		// no call has ended for more than 100 ms: the provider counts as stalled
		Thread.sleep(150);
		CountDownLatch completed = new CountDownLatch(1);
		TestRequest request = asyncRequest("second-token", completed);
		CapturingResponse response = new CapturingResponse();

		long start = System.nanoTime();
		this.filter.doFilter(request, response, this.chain);

		// the servlet thread is back at once, the answer not written yet
		assertThat(request.isAsyncStarted()).isTrue();
		assertThat(response.isCommitted()).isFalse();
		assertThat(completed.await(20, TimeUnit.SECONDS)).as("async request completed").isTrue();
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
		assertThat(response.isCommitted()).isTrue();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentAsString()).contains("\"captcha_provider_unavailable\"").doesNotContain("busy");
		assertThat(response.getHeader("Retry-After")).isNotNull();
		verifyNoInteractions(this.chain);
	}

	@Test
	void doFilterWhenBusyButCallsEndingThenAnsweredAtOnce() throws Exception {
		// the held call ends now and another takes the slot: a provider that answers,
		// so a full bulkhead is answered at once
		this.filter.setBusyAnswerDelay(Duration.ofSeconds(5));
		CountDownLatch nextHeld = new CountDownLatch(1);
		CountDownLatch firstRelease = this.release;
		this.held = nextHeld;
		this.release = new CountDownLatch(1);
		firstRelease.countDown();
		this.holder.get(20, TimeUnit.SECONDS);
		this.holder = this.executor.submit(() -> {
			this.filter.doFilter(request("fourth-token"), new CapturingResponse(), mock(FilterChain.class));
			return null;
		});
		assertThat(nextHeld.await(20, TimeUnit.SECONDS)).isTrue();
		TestRequest request = request("fifth-token");
		request.setAsyncSupported(true);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(request.isAsyncStarted()).isFalse();
		assertThat(response.getStatus()).isEqualTo(503);
	}

	@Test
	void doFilterWhenBusyWithoutDelayThenAnsweredAtOnce() throws Exception {
		TestRequest request = request("second-token");
		request.setAsyncSupported(true);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(request.isAsyncStarted()).isFalse();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentAsString()).contains("\"captcha_provider_unavailable\"");
		verifyNoInteractions(this.chain);
	}

	@Test
	void doFilterWhenBusyAndRequestNotAsyncSupportedThenAnsweredAtOnce() throws Exception {
		this.filter.setBusyAnswerDelay(Duration.ofSeconds(5));
		TestRequest request = request("second-token");
		request.setAsyncSupported(false);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(request.isAsyncStarted()).isFalse();
		assertThat(response.getStatus()).isEqualTo(503);
		verifyNoInteractions(this.chain);
	}

	@Test
	void doFilterWhenProviderRejectsAndDelayThenAnsweredAtOnce() throws Exception {
		// only a saturated bulkhead holds the answer back: a token without a slot problem
		// (here: none sent) is answered at once
		this.filter.setBusyAnswerDelay(Duration.ofSeconds(5));
		TestRequest request = new TestRequest("POST", PATH);
		request.setAsyncSupported(true);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(request.isAsyncStarted()).isFalse();
		assertThat(response.getStatus()).isEqualTo(400);
	}

	// MockAsyncContext needs spring-web, which core does not have: a context that tells
	// when it is completed
	private static TestRequest asyncRequest(String token, CountDownLatch completed) {
		TestRequest request = new TestRequest("POST", PATH) {

			@Override
			public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
				setAsyncStarted(true);
				TestRequest self = this;
				AsyncContext context = mock(AsyncContext.class);
				willAnswer((invocation) -> {
					self.setAsyncStarted(false);
					completed.countDown();
					return null;
				}).given(context).complete();
				return context;
			}

		};
		request.setAsyncSupported(true);
		request.addHeader(DefaultCaptchaTokenResolver.DEFAULT_HEADER, token);
		return request;
	}

	private static TestRequest request(String token) {
		TestRequest request = new TestRequest("POST", PATH);
		request.addHeader(DefaultCaptchaTokenResolver.DEFAULT_HEADER, token);
		return request;
	}

}
