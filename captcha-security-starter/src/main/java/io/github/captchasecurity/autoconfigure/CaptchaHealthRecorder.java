package io.github.captchasecurity.autoconfigure;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;

/**
 * Keeps, for the health contributor, the recent outcomes of each provider and of the
 * store, from the engine's decisions (it never calls anything itself). A provider's
 * window holds the verifications that got its verdict or found it unavailable: errors are
 * {@code captcha_provider_unavailable} and passes only because the route fails open;
 * checks that never reach a provider (missing, malformed, replayed, rate-limited, store
 * failures) are not counted. The store's window holds every verification: errors are
 * {@code captcha_store_unavailable} and passes only because the store fails open.
 */
final class CaptchaHealthRecorder {

	private final int window;

	private final Clock clock;

	private final Map<String, OutcomeWindow> providers = new ConcurrentHashMap<>();

	private final OutcomeWindow store;

	CaptchaHealthRecorder(int window, Clock clock) {
		this.window = window;
		this.clock = clock;
		this.store = new OutcomeWindow(window);
	}

	// The listener to attach to the engine.
	VerificationListener listener() {
		return (rule, result, context) -> record(result);
	}

	void record(VerificationResult result) {
		boolean storeError = result.outcome() == VerificationOutcome.STORE_UNAVAILABLE
				|| (result.passed() && result.errorCodes().contains(CaptchaVerificationService.FAIL_OPEN_STORE));
		this.store.record(storeError, this.clock.instant());
		String provider = result.provider();
		if (provider != null && !storeError && reachedProvider(result.outcome())) {
			boolean unavailable = result.outcome() == VerificationOutcome.PROVIDER_UNAVAILABLE
					|| (result.passed() && result.errorCodes().contains(CaptchaVerificationService.FAIL_OPEN));
			provider(provider).record(unavailable, this.clock.instant());
		}
	}

	private static boolean reachedProvider(VerificationOutcome outcome) {
		return switch (outcome) {
			case MISSING, MALFORMED, BODY_TOO_LARGE, REPLAYED, REPLAY_CACHE_FULL, RATE_LIMITED, STORE_UNAVAILABLE ->
				false;
			default -> true;
		};
	}

	OutcomeWindow provider(String name) {
		return this.providers.computeIfAbsent(name, (key) -> new OutcomeWindow(this.window));
	}

	OutcomeWindow store() {
		return this.store;
	}

}
