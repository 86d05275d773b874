package io.github.captchasecurity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.provider.builtin.MutableClock;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Concurrent verifications (gh-8): the per-client attempt reservation, so concurrent junk
 * tokens of one client cannot all pass the block check before the first failure is
 * counted, and the bulkhead around remote verifiers. The verifiers are in-process stubs
 * that hold each call until the test lets them go; nothing is timed.
 */
class CaptchaVerificationServiceConcurrencyTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final String PROVIDER = "hosted";

	private static final String IP = "198.51.100.7";

	private final MutableClock clock = new MutableClock(START);

	private final CaffeineFailureCounter counter = new CaffeineFailureCounter(1000, this.clock);

	/** Calls that reached the verifier. */
	private final AtomicInteger calls = new AtomicInteger();

	/** Calls currently held inside the verifier. */
	private final AtomicInteger holding = new AtomicInteger();

	/** Lets held calls go on. */
	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger tokenNumber = new AtomicInteger();

	private ExecutorService executor;

	@AfterEach
	void letGoAndShutDown() {
		this.release.countDown();
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	// --- per-client reservation

	@Test
	void verifyWhenFiftyConcurrentJunkTokensFromOneClientThenAtMostBlockAfterReachProvider() throws Exception {
		CaptchaVerificationService service = builder(holdingVerifier(VerificationOutcome.INVALID, true))
			.abuseControl(new AbuseSettings(0, 10, Duration.ofMinutes(15)), this.counter)
			.maxConcurrentVerifications(64)
			.build();

		List<VerificationOutcome> outcomes = concurrently(50, service, CaptchaRule.defaults());

		assertThat(this.calls).hasValueLessThanOrEqualTo(10);
		assertThat(outcomes.stream().filter((outcome) -> outcome == VerificationOutcome.INVALID).count())
			.isEqualTo(this.calls.get());
		assertThat(outcomes).containsOnly(VerificationOutcome.INVALID, VerificationOutcome.RATE_LIMITED);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(10);
		assertThat(service.verify(CaptchaRule.defaults(), nextToken(), IP).outcome())
			.isEqualTo(VerificationOutcome.RATE_LIMITED);
		assertThat(this.calls).hasValueLessThanOrEqualTo(10);
	}

	@Test
	void verifyWhenPassesThenReservationsGivenBackAndClientNeverBlocked() {
		CaptchaVerificationService service = builder((request) -> {
			this.calls.incrementAndGet();
			return VerificationResult.of(VerificationOutcome.PASSED, PROVIDER);
		}).abuseControl(new AbuseSettings(0, 10, Duration.ofMinutes(15)), this.counter).build();

		for (int i = 0; i < 50; i++) {
			assertThat(service.verify(CaptchaRule.defaults(), nextToken(), IP).outcome())
				.isEqualTo(VerificationOutcome.PASSED);
		}

		assertThat(this.counter.count("ip:" + IP)).isZero();
		assertThat(this.calls).hasValue(50);
	}

	@Test
	void verifyWhenProviderUnavailableThenReservationGivenBack() {
		CaptchaVerificationService service = builder(
				(request) -> VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, PROVIDER))
			.abuseControl(new AbuseSettings(0, 2, Duration.ofMinutes(15)), this.counter)
			.build();

		for (int i = 0; i < 5; i++) {
			assertThat(service.verify(CaptchaRule.defaults(), nextToken(), IP).outcome())
				.isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		}

		assertThat(this.counter.count("ip:" + IP)).isZero();
	}

	// --- bulkhead

	@Test
	void verifyWhenMoreConcurrentCallsThanBulkheadThenExcessUnavailableAtOnce() throws Exception {
		CaptchaVerificationService service = builder(holdingVerifier(VerificationOutcome.PASSED, true))
			.maxConcurrentVerifications(4)
			.maxWaitForVerification(Duration.ZERO)
			.build();
		List<VerificationResult> results = Collections.synchronizedList(new ArrayList<>());

		concurrently(12, () -> results.add(service.verify(CaptchaRule.defaults(), nextToken(), IP)));

		assertThat(this.calls).hasValue(4);
		assertThat(results.stream().filter(VerificationResult::passed).count()).isEqualTo(4);
		assertThat(results.stream()
			.filter((result) -> result.outcome() == VerificationOutcome.PROVIDER_UNAVAILABLE
					&& result.errorCodes().contains(CaptchaVerificationService.BUSY))
			.count()).isEqualTo(8);
	}

	@Test
	void verifyWhenBulkheadFullAndDefaultWaitThenExcessUnavailableAsBusy() throws Exception {
		CaptchaVerificationService service = builder(holdingVerifier(VerificationOutcome.PASSED, true))
			.maxConcurrentVerifications(4)
			.build();

		List<VerificationOutcome> outcomes = concurrently(12, service, CaptchaRule.defaults());

		assertThat(this.calls).hasValue(4);
		assertThat(outcomes.stream().filter((outcome) -> outcome == VerificationOutcome.PROVIDER_UNAVAILABLE).count())
			.isEqualTo(8);
	}

	@Test
	void verifyWhenSlotFreedWhileWaitingThenWaitingCallReachesProvider() throws Exception {
		CountDownLatch firstHeld = new CountDownLatch(1);
		CountDownLatch letFirstGo = new CountDownLatch(1);
		CaptchaVerificationService service = builder(new CaptchaVerifier() {

			@Override
			public VerificationResult verify(VerificationRequest request) {
				if (CaptchaVerificationServiceConcurrencyTests.this.calls.incrementAndGet() == 1) {
					firstHeld.countDown();
					try {
						letFirstGo.await(20, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return VerificationResult.of(VerificationOutcome.PASSED, PROVIDER);
			}

			@Override
			public boolean isRemote() {
				return true;
			}

		}).maxConcurrentVerifications(1).maxWaitForVerification(Duration.ofSeconds(20)).build();
		this.executor = Executors.newFixedThreadPool(2);
		Future<VerificationOutcome> first = this.executor
			.submit(() -> service.verify(CaptchaRule.defaults(), nextToken(), IP).outcome());
		assertThat(firstHeld.await(20, TimeUnit.SECONDS)).isTrue();
		AtomicReference<Thread> waiter = new AtomicReference<>();
		Future<VerificationOutcome> second = this.executor.submit(() -> {
			waiter.set(Thread.currentThread());
			return service.verify(CaptchaRule.defaults(), nextToken(), IP).outcome();
		});
		// the second call waits in the bulkhead for the only slot
		awaitCondition(() -> waiter.get() != null && waiter.get().getState() == Thread.State.TIMED_WAITING);
		assertThat(this.calls).hasValue(1);

		letFirstGo.countDown();

		assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(VerificationOutcome.PASSED);
		assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void verifyWhenBulkheadFullOnFailOpenRouteThenExcessLetThroughAsFailOpen() throws Exception {
		CaptchaVerificationService service = builder(holdingVerifier(VerificationOutcome.PASSED, true))
			.maxConcurrentVerifications(2)
			.build();
		CaptchaRule failOpen = new CaptchaRule(List.of(), null, null, true);
		List<VerificationResult> results = Collections.synchronizedList(new ArrayList<>());

		concurrently(6, () -> results.add(service.verify(failOpen, nextToken(), IP)));

		assertThat(this.calls).hasValue(2);
		assertThat(results).allSatisfy((result) -> assertThat(result.passed()).isTrue());
		assertThat(results.stream()
			.filter((result) -> result.errorCodes().contains(CaptchaVerificationService.FAIL_OPEN))
			.count()).isEqualTo(4);
	}

	@Test
	void verifyWhenBulkheadSlotFreedThenNextCallReachesProvider() {
		CaptchaVerificationService service = builder((request) -> {
			this.calls.incrementAndGet();
			return VerificationResult.of(VerificationOutcome.PASSED, PROVIDER);
		}).maxConcurrentVerifications(1).build();

		for (int i = 0; i < 5; i++) {
			assertThat(service.verify(CaptchaRule.defaults(), nextToken(), IP).outcome())
				.isEqualTo(VerificationOutcome.PASSED);
		}

		assertThat(this.calls).hasValue(5);
	}

	@Test
	void verifyWhenVerifierIsNotRemoteThenNotBounded() throws Exception {
		CaptchaVerificationService service = builder(holdingVerifier(VerificationOutcome.PASSED, false))
			.maxConcurrentVerifications(2)
			.build();

		List<VerificationOutcome> outcomes = concurrently(8, service, CaptchaRule.defaults());

		assertThat(this.calls).hasValue(8);
		assertThat(outcomes).containsOnly(VerificationOutcome.PASSED);
	}

	@Test
	void builderWhenMaxWaitForVerificationNegativeThenIllegalArgumentException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CaptchaVerificationService.builder().maxWaitForVerification(Duration.ofMillis(-1)))
			.withMessageContaining("maxWaitForVerification");
	}

	@Test
	void builderWhenMaxConcurrentVerificationsBelowOneThenIllegalArgumentException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CaptchaVerificationService.builder().maxConcurrentVerifications(0))
			.withMessageContaining("maxConcurrentVerifications");
	}

	// --- helpers

	/**
	 * A verifier that counts each call and holds it until {@link #release}; remote or
	 * in-process.
	 */
	private CaptchaVerifier holdingVerifier(VerificationOutcome outcome, boolean remote) {
		return new CaptchaVerifier() {

			@Override
			public VerificationResult verify(VerificationRequest request) {
				CaptchaVerificationServiceConcurrencyTests tests = CaptchaVerificationServiceConcurrencyTests.this;
				tests.calls.incrementAndGet();
				tests.holding.incrementAndGet();
				try {
					tests.release.await(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					tests.holding.decrementAndGet();
				}
				return VerificationResult.of(outcome, PROVIDER);
			}

			@Override
			public boolean isRemote() {
				return remote;
			}

		};
	}

	private List<VerificationOutcome> concurrently(int requests, CaptchaVerificationService service, CaptchaRule rule)
			throws Exception {
		List<VerificationOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
		concurrently(requests, () -> outcomes.add(service.verify(rule, nextToken(), IP).outcome()));
		return outcomes;
	}

	/**
	 * Run the task on as many threads at once; once every task has either finished or is
	 * held by the verifier, let the held ones go and wait for all.
	 */
	private void concurrently(int requests, Runnable task) throws Exception {
		this.executor = Executors.newFixedThreadPool(requests);
		CountDownLatch start = new CountDownLatch(1);
		AtomicInteger finished = new AtomicInteger();
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			futures.add(this.executor.submit(() -> {
				start.await();
				task.run();
				finished.incrementAndGet();
				return null;
			}));
		}
		start.countDown();
		awaitCondition(() -> finished.get() + this.holding.get() == requests);
		this.release.countDown();
		for (Future<?> future : futures) {
			future.get(20, TimeUnit.SECONDS);
		}
	}

	private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
			Thread.sleep(5);
		}
	}

	private CaptchaVerificationService.Builder builder(CaptchaVerifier verifier) {
		return CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(PROVIDER, verifier, Set.of(), null, Duration.ofMinutes(2),
					Duration.ofMinutes(2), 200, false, null))
			.replayCache(new CaffeineReplayCache(10_000))
			.clock(this.clock);
	}

	private String nextToken() {
		return "tok-" + this.tokenNumber.incrementAndGet() + "-Zq7fWx9";
	}

}
