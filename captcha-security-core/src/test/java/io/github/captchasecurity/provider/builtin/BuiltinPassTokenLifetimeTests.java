package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that pass tokens we would never issue are refused even with a genuine signature,
 * as when the signing key leaked: an expiry beyond {@code iat + token-ttl} (plus the
 * clock skew) or an issue time in the future. The tokens are signed with the service's
 * real pass-token key, derived as the service derives it.
 */
class BuiltinPassTokenLifetimeTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final Duration TOKEN_TTL = Duration.ofMinutes(5);

	private static final Duration SKEW = CaptchaVerificationService.CLOCK_SKEW;

	private final MutableClock clock = new MutableClock(START);

	private final BuiltinCaptchaService service = new BuiltinCaptchaService(
			BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of(SITE_KEY)).tokenTtl(TOKEN_TTL).build(),
			new CaffeineChallengeStore(100), new CaffeineRateLimiter(100, this.clock), new CaffeineReplayCache(100),
			this.clock);

	/** Signs like the service, with the key it derives from the signing key. */
	private final PassTokens realKey = new PassTokens(
			Altcha.hmac(SIGNING_KEY, "captcha-security pass-token v1".getBytes(StandardCharsets.UTF_8)));

	@Test
	void verifyWhenGenuineSignatureButLifetimeOfADayThenInvalid() {
		String longLived = sign("long", START, Duration.ofDays(1));

		assertThat(verify(longLived)).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenLifetimeJustOverTokenTtlPlusSkewThenInvalid() {
		assertThat(verify(sign("over", START, TOKEN_TTL.plus(SKEW).plusSeconds(1))))
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenLifetimeWithinTokenTtlPlusSkewThenPassed() {
		assertThat(verify(sign("within", START, TOKEN_TTL.plus(SKEW)))).isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(sign("exact", START, TOKEN_TTL))).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenIssuedInTheFutureBeyondSkewThenInvalid() {
		String postDated = sign("future", START.plus(Duration.ofHours(1)), TOKEN_TTL);

		assertThat(verify(postDated)).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(sign("future-by-skew", START.plus(SKEW).plusSeconds(1), TOKEN_TTL)))
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenIssuedWithinSkewAheadThenPassed() {
		assertThat(verify(sign("ahead", START.plus(SKEW), TOKEN_TTL))).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenLongLivedTokenIsUsedLaterThenStillInvalidNotExpired() {
		String longLived = sign("later", START, Duration.ofDays(1));
		this.clock.advance(Duration.ofHours(2));

		assertThat(verify(longLived)).isEqualTo(VerificationOutcome.INVALID);
	}

	private String sign(String id, Instant issuedAt, Duration lifetime) {
		Challenge challenge = new Challenge(id, SITE_KEY, ChallengeType.IMAGE, "ABCDE", null, null,
				issuedAt.plus(lifetime));
		return this.realKey.issue(challenge, issuedAt, lifetime, null);
	}

	private VerificationOutcome verify(String token) {
		return this.service
			.verify("local", new VerificationRequest(token, null, null, Set.of(), null, Duration.ofMinutes(5)))
			.outcome();
	}

}
