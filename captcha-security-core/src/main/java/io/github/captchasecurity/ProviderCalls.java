package io.github.captchasecurity;

import java.util.concurrent.Semaphore;

import io.github.captchasecurity.store.CaptchaStoreException;
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

	private final int maxConcurrentVerifications;

	private final Semaphore bulkhead;

	ProviderCalls(int maxConcurrentVerifications) {
		this.maxConcurrentVerifications = maxConcurrentVerifications;
		this.bulkhead = new Semaphore(maxConcurrentVerifications);
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
	 * concurrent calls the answer is {@code captcha_provider_unavailable} at once, so a
	 * hanging provider cannot hold every servlet thread.
	 * @param policy the provider to ask
	 * @param request the verification request
	 * @return the provider's answer, or an unavailable-provider result when the bulkhead
	 * is full
	 */
	VerificationResult askBounded(ProviderPolicy policy, VerificationRequest request) {
		if (!policy.verifier().isRemote()) {
			return ask(policy, request);
		}
		if (!this.bulkhead.tryAcquire()) {
			if (logger.isDebugEnabled()) {
				logger.debug("CAPTCHA provider '{}' not asked about token {}: {} verifications in flight",
						policy.name(), TokenDigest.shortHash(request.token()), this.maxConcurrentVerifications);
			}
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, policy.name());
		}
		try {
			return ask(policy, request);
		}
		finally {
			this.bulkhead.release();
		}
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
