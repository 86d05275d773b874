package io.github.captchasecurity.provider.builtin;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Keeps issued challenges until they are answered or expire. {@link #take(String)} must
 * be atomic: a challenge is handed out at most once, so that every answer, right or
 * wrong, burns it. Implement this over a shared store (Redis) to run several instances
 * behind one load balancer.
 *
 * @since 0.1.0
 */
public interface ChallengeStore {

	/**
	 * Keep a challenge.
	 * @param challenge the challenge
	 * @param ttl how long to keep it
	 */
	void save(Challenge challenge, Duration ttl);

	/**
	 * Remove and return a challenge.
	 * @param id the challenge id
	 * @return the challenge, or null if unknown, expired or already taken
	 */
	@Nullable Challenge take(String id);

	/**
	 * Return a challenge without removing it: the audio form of an image challenge reads
	 * the answer it speaks this way, and the challenge stays answerable once. The default
	 * finds nothing, so a store that does not implement it offers no audio challenges.
	 * @param id the challenge id
	 * @return the challenge, or null if unknown, expired or already taken
	 */
	default @Nullable Challenge peek(String id) {
		return null;
	}

}
