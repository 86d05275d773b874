package io.github.captchasecurity.test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;

/**
 * The engine's memory in a test context: an in-memory replay cache and failure counter
 * that {@link CaptchaTestExecutionListener} empties before each test method, so that one
 * test's failed tokens never step up, block or replay another test's requests (all
 * MockMvc requests come from one client address). Within a test they count as in
 * production.
 */
final class CaptchaTestState {

	private final AtomicReference<CaffeineReplayCache> replay = new AtomicReference<>();

	private final AtomicReference<CaffeineFailureCounter> failures = new AtomicReference<>();

	CaptchaTestState() {
		reset();
	}

	void reset() {
		this.replay.set(new CaffeineReplayCache(100_000));
		this.failures.set(new CaffeineFailureCounter(100_000, Clock.systemUTC()));
	}

	ReplayCache replayCache() {
		return new ReplayCache() {

			@Override
			public boolean markUsed(String tokenDigest, Duration ttl) {
				return CaptchaTestState.this.replay.get().markUsed(tokenDigest, ttl);
			}

			@Override
			public Mark tryMarkUsed(String tokenDigest, Duration ttl) {
				return CaptchaTestState.this.replay.get().tryMarkUsed(tokenDigest, ttl);
			}

			@Override
			public void forget(String tokenDigest) {
				CaptchaTestState.this.replay.get().forget(tokenDigest);
			}

		};
	}

	FailureCounter failureCounter() {
		return new FailureCounter() {

			@Override
			public long increment(String key, Duration window) {
				return counter().increment(key, window);
			}

			@Override
			public long count(String key) {
				return counter().count(key);
			}

			@Override
			public Duration remaining(String key) {
				return counter().remaining(key);
			}

			@Override
			public Acquisition tryAcquire(String key, long limit, Duration window) {
				return counter().tryAcquire(key, limit, window);
			}

			@Override
			public void release(String key) {
				counter().release(key);
			}

			@Override
			public void reset(String key) {
				counter().reset(key);
			}

		};
	}

	private CaffeineFailureCounter counter() {
		return this.failures.get();
	}

}
