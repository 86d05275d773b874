package io.github.captchasecurity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.github.captchasecurity.store.CaptchaStoreException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a provider's verifier, turning its failures into
 * {@code captcha_provider_unavailable}, with the bulkhead that bounds concurrent calls to
 * remote verifiers.
 */
final class ProviderCalls {

	// the engine's log category, whichever part of it logs
	private static final Logger logger = LoggerFactory.getLogger(CaptchaVerificationService.class);

	/**
	 * With every slot taken and no call ended for this long, the calls in flight are
	 * stalled: a provider that answers keeps freeing slots every few milliseconds.
	 */
	static final long STALLED_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final int maxConcurrentVerifications;

	private final long maxWaitNanos;

	private final Semaphore bulkhead;

	// when the last bounded call ended: with every slot taken and none freed for a while,
	// the provider is stalled rather than merely busy
	private volatile long lastCallEnd = System.nanoTime();

	private final List<ProviderCallListener> listeners;

	ProviderCalls(int maxConcurrentVerifications, Duration maxWait, List<ProviderCallListener> listeners) {
		this.maxConcurrentVerifications = maxConcurrentVerifications;
		this.maxWaitNanos = maxWait.toNanos();
		this.bulkhead = new Semaphore(maxConcurrentVerifications);
		this.listeners = List.copyOf(listeners);
	}

	VerificationOutcome precheck(ProviderPolicy policy, VerificationRequest request) {
		try {
			VerificationOutcome outcome = policy.verifier().precheck(request);
			return (outcome != null) ? outcome : VerificationOutcome.PROVIDER_UNAVAILABLE;
		}
		catch (RuntimeException ex) {
			logger.error("CAPTCHA provider '{}' failed to precheck token {}: {}", policy.name(),
					TokenDigest.shortHash(request.token()), ex.getClass().getName());
			return VerificationOutcome.PROVIDER_UNAVAILABLE;
		}
	}

	/**
	 * Ask the provider, through the bulkhead when its verifier is remote: past the most
	 * concurrent calls, and once the short wait for one of them to end is over, the
	 * answer is {@code captcha_provider_unavailable}
	 * ({@link CaptchaVerificationService#BUSY}), so a hanging provider cannot hold every
	 * servlet thread.
	 * @param policy the provider to ask
	 * @param request the verification request
	 * @return the provider's answer, or an unavailable-provider result when the bulkhead
	 * is full
	 */
	VerificationResult askBounded(ProviderPolicy policy, VerificationRequest request) {
		if (!policy.verifier().isRemote()) {
			return ask(policy, request);
		}
		if (!this.bulkhead.tryAcquire() && !awaitPermit()) {
			if (logger.isDebugEnabled()) {
				logger.debug("CAPTCHA provider '{}' not asked about token {}: {} verifications in flight",
						policy.name(), TokenDigest.shortHash(request.token()), this.maxConcurrentVerifications);
			}
			boolean stalled = System.nanoTime() - this.lastCallEnd > STALLED_AFTER_NANOS;
			return VerificationResult.builder(VerificationOutcome.PROVIDER_UNAVAILABLE)
				.provider(policy.name())
				.errorCodes(stalled ? List.of(CaptchaVerificationService.BUSY, CaptchaVerificationService.STALLED)
						: List.of(CaptchaVerificationService.BUSY))
				.build();
		}
		try {
			return this.listeners.isEmpty() ? ask(policy, request) : askObserved(policy, request);
		}
		finally {
			this.lastCallEnd = System.nanoTime();
			this.bulkhead.release();
		}
	}

	private boolean awaitPermit() {
		if (this.maxWaitNanos <= 0) {
			return false;
		}
		try {
			return this.bulkhead.tryAcquire(this.maxWaitNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	// Ask a remote provider and tell the listeners how the call ended: its verdict, or
	// for an unavailable
	// answer what the verifier reported through ProviderExchanges.
	private VerificationResult askObserved(ProviderPolicy policy, VerificationRequest request) {
		ProviderCallStatus[] previous = ProviderExchanges.begin();
		long start = System.nanoTime();
		VerificationResult answer = null;
		try {
			answer = ask(policy, request);
			return answer;
		}
		finally {
			Duration duration = Duration.ofNanos(System.nanoTime() - start);
			ProviderCallStatus reported = ProviderExchanges.end(previous);
			ProviderCallStatus status = statusOf(answer, reported);
			for (ProviderCallListener listener : this.listeners) {
				try {
					listener.onProviderCall(policy.name(), status, duration);
				}
				catch (RuntimeException ex) {
					logger.warn("CAPTCHA provider call listener {} failed: {}", listener, ex.toString());
				}
			}
		}
	}

	private static ProviderCallStatus statusOf(@Nullable VerificationResult answer,
			@Nullable ProviderCallStatus reported) {
		if (answer == null || answer.outcome() == VerificationOutcome.PROVIDER_UNAVAILABLE) {
			return (reported != null) ? reported : ProviderCallStatus.BAD_ANSWER;
		}
		if (answer.passed()) {
			// a pass with an unusable score is turned into unavailable later, by
			// AnswerChecks
			return AnswerChecks.usable(answer).passed() ? ProviderCallStatus.SUCCESS : ProviderCallStatus.BAD_ANSWER;
		}
		return ProviderCallStatus.REJECTED;
	}

	private VerificationResult ask(ProviderPolicy policy, VerificationRequest request) {
		try {
			VerificationResult answer = policy.verifier().verify(request);
			return (answer != null) ? answer
					: VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, policy.name());
		}
		catch (CaptchaStoreException ex) {
			// a provider with its own single-use record (the built-in one) could not
			// reach the shared store
			throw ex;
		}
		catch (RuntimeException ex) {
			logger.error("CAPTCHA provider '{}' failed to verify token {}: {}", policy.name(),
					TokenDigest.shortHash(request.token()), ex.getClass().getName());
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, policy.name());
		}
	}

}
