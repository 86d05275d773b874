package io.github.captchasecurity.provider.builtin;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An issued challenge as kept by a {@link ChallengeStore}: what it expects, for whom,
 * until when. Immutable.
 *
 * @param id the challenge id sent to the client
 * @param siteKey the site key it was issued for
 * @param type the challenge type
 * @param answer the expected answer in canonical form (upper-case text, a number, sorted
 * tile indices, or the proof-of-work challenge hash)
 * @param action the action the pass token will carry, or null if none
 * @param clientIp the IP address that requested it, or null if unknown
 * @param expiresAt when it stops being answerable
 * @since 0.1.0
 */
public record Challenge(String id, String siteKey, ChallengeType type, String answer, @Nullable String action,
		@Nullable String clientIp, Instant expiresAt) {

	/**
	 * Create a challenge.
	 * @param id the id
	 * @param siteKey the site key
	 * @param type the type
	 * @param answer the answer
	 * @param action the action or null
	 * @param clientIp the client IP or null
	 * @param expiresAt the expiry
	 */
	public Challenge {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(siteKey, "siteKey");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(answer, "answer");
		Objects.requireNonNull(expiresAt, "expiresAt");
	}

	@Override
	public String toString() {
		return "Challenge[id=" + this.id + ", type=" + this.type + ", expiresAt=" + this.expiresAt + "]";
	}

}
