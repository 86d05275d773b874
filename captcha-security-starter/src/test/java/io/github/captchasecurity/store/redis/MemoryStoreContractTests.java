package io.github.captchasecurity.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.RateLimiter;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;

/** The store contract against the memory (Caffeine) implementations, on a fake clock. */
class MemoryStoreContractTests extends StoreContractTests {

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final Clock clock = new Clock() {

		private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.start.plusNanos(MemoryStoreContractTests.this.nanos.get());
		}

	};

	@Override
	ReplayCache replayCache() {
		return new CaffeineReplayCache(10_000, this.ticker);
	}

	@Override
	FailureCounter failureCounter() {
		return new CaffeineFailureCounter(10_000, this.clock);
	}

	@Override
	ChallengeStore challengeStore() {
		return new CaffeineChallengeStore(10_000, this.ticker);
	}

	@Override
	RateLimiter rateLimiter() {
		return new CaffeineRateLimiter(10_000, this.clock);
	}

	@Override
	void elapse(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
