package io.github.captchasecurity.provider.builtin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.replay.ReplayCache;
import org.jspecify.annotations.Nullable;

/**
 * The built-in provider's token checks: pass tokens (signature, lifetime, bindings,
 * action, type, single use) and proof-of-work payloads of ALTCHA v1 or v2 (hash or
 * derived key, signature, expiry, bindings, single use per challenge). The precheck of a
 * v2 payload checks its signature and expiry only: the key derivation is left to
 * {@link #verify}, so a forged payload costs one HMAC.
 */
final class BuiltinTokenChecks {

	private final BuiltinSettings settings;

	private final SiteKeys siteKeys;

	private final PassTokens passTokens;

	private final byte[] powKey;

	private final ReplayCache replayCache;

	private final Clock clock;

	BuiltinTokenChecks(BuiltinSettings settings, SiteKeys siteKeys, PassTokens passTokens, byte[] powKey,
			ReplayCache replayCache, Clock clock) {
		this.settings = settings;
		this.siteKeys = siteKeys;
		this.passTokens = passTokens;
		this.powKey = powKey;
		this.replayCache = replayCache;
		this.clock = clock;
	}

	VerificationResult verify(String provider, VerificationRequest request) {
		String token = request.token();
		Instant now = this.clock.instant();
		if (isPassToken(token)) {
			return verifyPassToken(provider, request, now);
		}
		return verifyPow(provider, request, now);
	}

	/**
	 * See {@link BuiltinCaptchaService#precheck(VerificationRequest)}.
	 * @param request the verification request
	 * @return the outcome of the checks
	 */
	VerificationOutcome precheck(VerificationRequest request) {
		String token = request.token();
		Instant now = this.clock.instant();
		if (isPassToken(token)) {
			PassTokens.Claims claims = this.passTokens.verify(token);
			if (claims == null || !this.siteKeys.matches(claims.siteKey())) {
				return VerificationOutcome.INVALID;
			}
			return now.isAfter(claims.expiresAt()) ? VerificationOutcome.EXPIRED : VerificationOutcome.PASSED;
		}
		Altcha.Verification verification = Altcha.verify(token, this.powKey, now, false);
		if (verification.solution() == null) {
			return (verification.failure() == Altcha.Failure.EXPIRED) ? VerificationOutcome.EXPIRED
					: VerificationOutcome.INVALID;
		}
		return VerificationOutcome.PASSED;
	}

	private static boolean isPassToken(String token) {
		if (!token.startsWith("eyJ")) {
			return false;
		}
		int first = token.indexOf('.');
		int second = (first < 0) ? -1 : token.indexOf('.', first + 1);
		return second > 0 && token.indexOf('.', second + 1) < 0;
	}

	private VerificationResult verifyPassToken(String provider, VerificationRequest request, Instant now) {
		String clientIp = request.clientIp();
		PassTokens.Claims claims = this.passTokens.verify(request.token());
		if (claims == null || !this.siteKeys.matches(claims.siteKey())) {
			return VerificationResult.of(VerificationOutcome.INVALID, provider);
		}
		Duration skew = CaptchaVerificationService.CLOCK_SKEW;
		if (claims.issuedAt().isAfter(now.plus(skew))
				|| claims.expiresAt().isAfter(claims.issuedAt().plus(this.settings.tokenTtl()).plus(skew))) {
			// we never issue these: a leaked key minting long-lived (or post-dated)
			// tokens
			return VerificationResult.of(VerificationOutcome.INVALID, provider);
		}
		if (now.isAfter(claims.expiresAt())) {
			return VerificationResult.of(VerificationOutcome.EXPIRED, provider);
		}
		boolean bound = this.settings.bindIp() || request.serverChallenge();
		if (bound && (clientIp == null || !clientIp.equals(claims.clientIp()))) {
			return VerificationResult.of(VerificationOutcome.INVALID, provider);
		}
		if (request.serverChallenge() && !actionMatches(request.expectedAction(), claims.action())) {
			return VerificationResult.of(VerificationOutcome.ACTION_MISMATCH, provider);
		}
		ChallengeType type = ChallengeType.fromWireName(claims.type());
		if (type == null) {
			return VerificationResult.of(VerificationOutcome.INVALID, provider);
		}
		if (!typeAccepted(type, request)) {
			return VerificationResult.of(VerificationOutcome.CHALLENGE_TYPE_MISMATCH, provider);
		}
		ReplayCache.Mark mark = this.replayCache.tryMarkUsed("builtin:pass:" + claims.challengeId(),
				this.settings.tokenTtl().plusMinutes(1));
		if (mark != ReplayCache.Mark.FIRST_USE) {
			return VerificationResult.of(replayOutcome(mark), provider);
		}
		return VerificationResult.passedBy(provider)
			.action(claims.action())
			.challengeTimestamp(claims.issuedAt())
			.build();
	}

	private VerificationResult verifyPow(String provider, VerificationRequest request, Instant now) {
		String clientIp = request.clientIp();
		Altcha.Verification verification = Altcha.verify(request.token(), this.powKey, now);
		Altcha.Solution solution = verification.solution();
		if (solution == null) {
			return VerificationResult.of((verification.failure() == Altcha.Failure.EXPIRED)
					? VerificationOutcome.EXPIRED : VerificationOutcome.INVALID, provider);
		}
		if (!powBindingsHold(solution, clientIp, request.serverChallenge())) {
			return VerificationResult.of(VerificationOutcome.INVALID, provider);
		}
		String action = solution.params().get("act");
		if (request.serverChallenge() && !actionMatches(request.expectedAction(), action)) {
			return VerificationResult.of(VerificationOutcome.ACTION_MISMATCH, provider);
		}
		if (!typeAccepted(ChallengeType.POW, request)) {
			return VerificationResult.of(VerificationOutcome.CHALLENGE_TYPE_MISMATCH, provider);
		}
		ReplayCache.Mark mark = spendPow(solution);
		if (mark != ReplayCache.Mark.FIRST_USE) {
			return VerificationResult.of(replayOutcome(mark), provider);
		}
		return VerificationResult.passedBy(provider).action(action).build();
	}

	boolean powBindingsHold(Altcha.Solution solution, @Nullable String clientIp, boolean serverChallenge) {
		String sk = solution.params().get("sk");
		if (sk == null || !this.siteKeys.matchesShortDigest(sk)) {
			return false;
		}
		if (this.settings.bindIp() || serverChallenge) {
			String ip = solution.params().get("ip");
			return ip != null && clientIp != null && ip.equals(BuiltinCaptchaService.shortDigest(clientIp));
		}
		return true;
	}

	/**
	 * Whether the site keys allow the type and the route accepts it (an empty set: any
	 * the site keys allow).
	 * @param type the challenge type of the token
	 * @param request the verification request, with the types its route accepts
	 * @return whether the type is accepted
	 */
	private boolean typeAccepted(ChallengeType type, VerificationRequest request) {
		return this.settings.challengeTypes().contains(type)
				&& (request.challengeTypes().isEmpty() || request.challengeTypes().contains(type.wireName()));
	}

	private static boolean actionMatches(@Nullable String expected, @Nullable String actual) {
		return expected == null || (actual != null && expected.equalsIgnoreCase(actual));
	}

	ReplayCache.Mark spendPow(Altcha.Solution solution) {
		Duration ttl = Duration.between(this.clock.instant(), solution.expires()).plusMinutes(1);
		return this.replayCache.tryMarkUsed("builtin:pow:" + solution.challenge(),
				ttl.isNegative() ? Duration.ofMinutes(1) : ttl);
	}

	private static VerificationOutcome replayOutcome(ReplayCache.Mark mark) {
		return (mark == ReplayCache.Mark.CACHE_FULL) ? VerificationOutcome.REPLAY_CACHE_FULL
				: VerificationOutcome.REPLAYED;
	}

}
