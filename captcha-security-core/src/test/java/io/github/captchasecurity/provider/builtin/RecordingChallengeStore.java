package io.github.captchasecurity.provider.builtin;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ChallengeStore} that delegates to another one and remembers every challenge
 * saved, so that tests can learn the expected answer of image and grid challenges through
 * the public SPI. Public so that tests of other packages (the endpoint filter) can share
 * it.
 */
public final class RecordingChallengeStore implements ChallengeStore {

	private final ChallengeStore delegate;

	private final Map<String, Challenge> saved = new ConcurrentHashMap<>();

	private volatile @Nullable Challenge last;

	public RecordingChallengeStore(ChallengeStore delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
	}

	@Override
	public void save(Challenge challenge, Duration ttl) {
		this.saved.put(challenge.id(), challenge);
		this.last = challenge;
		this.delegate.save(challenge, ttl);
	}

	@Override
	public @Nullable Challenge take(String id) {
		return this.delegate.take(id);
	}

	@Override
	public @Nullable Challenge peek(String id) {
		return this.delegate.peek(id);
	}

	/**
	 * Return a challenge saved earlier, whether or not it was taken since.
	 * @param id the challenge id
	 * @return the challenge
	 * @throws IllegalStateException if no challenge with that id was saved
	 */
	public Challenge saved(String id) {
		Challenge challenge = this.saved.get(id);
		if (challenge == null) {
			throw new IllegalStateException("No challenge " + id + " was saved");
		}
		return challenge;
	}

	/**
	 * Return the expected answer of a challenge saved earlier.
	 * @param id the challenge id
	 * @return the answer in canonical form
	 */
	public String answer(String id) {
		return saved(id).answer();
	}

	/**
	 * Return the challenge saved last.
	 * @return the challenge, or null if none was saved
	 */
	public @Nullable Challenge last() {
		return this.last;
	}

}
