package io.github.captchasecurity.provider.builtin;

import java.time.Duration;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChallengeStore} local to this JVM, on Caffeine, bounded in size.
 *
 * @since 0.1.0
 */
public final class CaffeineChallengeStore implements ChallengeStore {

	private final Cache<String, Entry> challenges;

	/**
	 * Create a store on the system ticker.
	 * @param maxEntries the most challenges kept at once
	 */
	public CaffeineChallengeStore(long maxEntries) {
		this(maxEntries, Ticker.systemTicker());
	}

	/**
	 * Create a store with the given time source.
	 * @param maxEntries the most challenges kept at once, at least 1
	 * @param ticker the time source
	 */
	public CaffeineChallengeStore(long maxEntries, Ticker ticker) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be at least 1");
		}
		this.challenges = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.ticker(Objects.requireNonNull(ticker, "ticker"))
			.expireAfter(Expiry.creating((String key, Entry entry) -> entry.ttl()))
			.build();
	}

	@Override
	public void save(Challenge challenge, Duration ttl) {
		this.challenges.put(challenge.id(), new Entry(challenge, ttl));
	}

	@Override
	public @Nullable Challenge take(String id) {
		Entry entry = this.challenges.asMap().remove(id);
		return (entry != null) ? entry.challenge() : null;
	}

	@Override
	public @Nullable Challenge peek(String id) {
		Entry entry = this.challenges.getIfPresent(id);
		return (entry != null) ? entry.challenge() : null;
	}

	/**
	 * Return about how many challenges are kept, cheap to call (for a gauge).
	 * @return the estimated number of live challenges
	 */
	public long estimatedSize() {
		return this.challenges.estimatedSize();
	}

	private record Entry(Challenge challenge, Duration ttl) {
	}

}
