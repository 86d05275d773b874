package io.github.captchasecurity;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.store.CaptchaStoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a verification gets when a store throws {@link CaptchaStoreException} (Redis down
 * or too slow): fail closed with {@code captcha_store_unavailable} by default, never a
 * pass and never a provider outcome; a pass marked
 * {@link CaptchaVerificationService#FAIL_OPEN_STORE} when built to fail open.
 */
class StoreFailureVerificationTests {

	private final AtomicInteger providerCalls = new AtomicInteger();

	private final CaptchaVerifier verifier = (request) -> {
		this.providerCalls.incrementAndGet();
		return VerificationResult.of(VerificationOutcome.PASSED, "p");
	};

	@Test
	void replayCacheDownThenStoreUnavailableAndProviderNotAsked() {
		CaptchaVerificationService service = builder(this.verifier, new UnreachableReplayCache()).build();

		VerificationResult result = service.verify(CaptchaRule.defaults(), "token-1", "192.0.2.1");

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.STORE_UNAVAILABLE);
		assertThat(result.outcome().code()).isEqualTo("captcha_store_unavailable");
		assertThat(result.outcome().status()).isEqualTo(503);
		assertThat(result.passed()).isFalse();
		assertThat(this.providerCalls).hasValue(0);
	}

	@Test
	void failureCounterDownThenStoreUnavailableBeforeAnythingElse() {
		CaptchaVerificationService service = builder(this.verifier, new CaffeineReplayCache(100))
			.abuseControl(new AbuseSettings(3, 10, Duration.ofMinutes(10)), new UnreachableFailureCounter())
			.build();

		VerificationResult result = service.verify(CaptchaRule.defaults(), "token-1", "192.0.2.1");

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.STORE_UNAVAILABLE);
		assertThat(this.providerCalls).hasValue(0);
	}

	@Test
	void providerWithItsOwnStoreDownThenStoreUnavailableNotProviderUnavailable() {
		CaptchaVerifier builtin = (request) -> {
			throw new CaptchaStoreException("Redis SET NX failed: RedisConnectionFailureException");
		};
		CaptchaVerificationService service = builder(builtin, new CaffeineReplayCache(100)).build();

		VerificationResult result = service.verify(CaptchaRule.defaults(), "token-1", "192.0.2.1");

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.STORE_UNAVAILABLE);
	}

	@Test
	void storeDownWhenFailingOpenThenPassedMarkedFailOpenAndListenersTold() {
		List<VerificationResult> heard = new CopyOnWriteArrayList<>();
		CaptchaVerificationService service = builder(this.verifier, new UnreachableReplayCache()).storeFailOpen(true)
			.listener((rule, result, context) -> heard.add(result))
			.build();

		VerificationResult result = service.verify(CaptchaRule.defaults(), "token-1", "192.0.2.1");

		assertThat(result.passed()).isTrue();
		assertThat(result.errorCodes()).containsExactly(CaptchaVerificationService.FAIL_OPEN_STORE);
		assertThat(heard).containsExactly(result);
	}

	@Test
	void failedVerificationWhoseCountingFailsThenStoreUnavailableNotTheRejection() {
		CaptchaVerifier rejecting = (request) -> VerificationResult.of(VerificationOutcome.INVALID, "p");
		CaptchaVerificationService service = builder(rejecting, new CaffeineReplayCache(100))
			.abuseControl(new AbuseSettings(3, 10, Duration.ofMinutes(10)), new IncrementFails())
			.build();

		VerificationResult result = service.verify(CaptchaRule.defaults(), "token-1", "192.0.2.1");

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.STORE_UNAVAILABLE);
	}

	private static CaptchaVerificationService.Builder builder(CaptchaVerifier verifier, ReplayCache replayCache) {
		return CaptchaVerificationService.builder()
			.replayCache(replayCache)
			.provider(new ProviderPolicy("p", verifier, Set.of(), null, Duration.ofMinutes(2), Duration.ofMinutes(2),
					100));
	}

	private static final class UnreachableReplayCache implements ReplayCache {

		@Override
		public boolean markUsed(String tokenDigest, Duration ttl) {
			throw new CaptchaStoreException("Redis SET NX took longer than PT0.5S");
		}

		@Override
		public void forget(String tokenDigest) {
			throw new CaptchaStoreException("Redis DEL took longer than PT0.5S");
		}

	}

	private static class UnreachableFailureCounter implements FailureCounter {

		@Override
		public long increment(String key, Duration window) {
			throw new CaptchaStoreException("Redis INCR window failed");
		}

		@Override
		public long count(String key) {
			throw new CaptchaStoreException("Redis GET failed");
		}

		@Override
		public Duration remaining(String key) {
			throw new CaptchaStoreException("Redis PTTL failed");
		}

		@Override
		public void reset(String key) {
			throw new CaptchaStoreException("Redis DEL failed");
		}

	}

	/** Reads work, counting a failure does not (Redis went away between the two). */
	private static final class IncrementFails extends UnreachableFailureCounter {

		@Override
		public long count(String key) {
			return 0;
		}

	}

}
