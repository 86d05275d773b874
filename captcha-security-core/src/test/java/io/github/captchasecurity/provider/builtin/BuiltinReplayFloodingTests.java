package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay cache against flooding (gh-8, item 2): with the built-in provider the replay
 * cache is the only single-use guarantee, so forged tokens must not push a consumed one
 * out, and a full cache refuses new tokens instead of forgetting used ones. Small caches,
 * a {@link MutableClock} shared by the provider and the cache's ticker: nothing sleeps.
 */
class BuiltinReplayFloodingTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final String PROVIDER = "builtin";

	private static final Duration TOKEN_TTL = Duration.ofMinutes(5);

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private final MutableClock clock = new MutableClock(START);

	@Test
	void verifyWhenThreeHundredForgedPassTokensFloodCacheOfHundredThenConsumedTokenStillReplayed() {
		Fixture fixture = new Fixture(100);
		String consumed = fixture.passToken();
		assertThat(fixture.verify(consumed).outcome()).isEqualTo(VerificationOutcome.PASSED);

		List<VerificationOutcome> forged = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			forged.add(fixture.verify(forgedSignature(consumed, i)).outcome());
		}

		assertThat(forged).containsOnly(VerificationOutcome.INVALID);
		assertThat(fixture.cache.estimatedSize()).isEqualTo(2);
		assertThat(fixture.verify(consumed).outcome()).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void verifyWhenForgedProofOfWorkPayloadsFloodCacheThenTheyTakeNoEntry() {
		Fixture fixture = new Fixture(100);
		String consumed = fixture.passToken();
		fixture.verify(consumed);

		for (int i = 0; i < 300; i++) {
			String payload = Base64.getEncoder()
				.encodeToString(("{\"algorithm\":\"SHA-256\",\"challenge\":\"" + "ab".repeat(32) + "\",\"number\":" + i
						+ ",\"salt\":\"s?expires=9999999999&\",\"signature\":\"" + "cd".repeat(32) + "\"}")
					.getBytes(StandardCharsets.UTF_8));
			assertThat(fixture.verify(payload).outcome()).isEqualTo(VerificationOutcome.INVALID);
		}

		assertThat(fixture.cache.estimatedSize()).isEqualTo(2);
		assertThat(fixture.verify(consumed).outcome()).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void verifyWhenExpiredPassTokenThenExpiredWithoutTakingAnEntry() {
		Fixture fixture = new Fixture(100);
		String token = fixture.passToken();
		this.clock.advance(TOKEN_TTL.plusSeconds(1));

		assertThat(fixture.verify(token).outcome()).isEqualTo(VerificationOutcome.EXPIRED);
		assertThat(fixture.cache.estimatedSize()).isZero();
	}

	@Test
	void verifyWhenCacheFullOfLiveTokensThenNewTokenRefused503AndConsumedOnesStillReplayed() {
		// each pass takes two entries: the engine's digest and the provider's challenge
		// id
		Fixture fixture = new Fixture(6);
		List<String> consumed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String token = fixture.passToken();
			assertThat(fixture.verify(token).outcome()).isEqualTo(VerificationOutcome.PASSED);
			consumed.add(token);
		}

		VerificationResult refused = fixture.verify(fixture.passToken());

		assertThat(refused.outcome()).isEqualTo(VerificationOutcome.REPLAY_CACHE_FULL);
		assertThat(refused.outcome().status()).isEqualTo(503);
		assertThat(refused.outcome().code()).isEqualTo("captcha_replay_cache_full");
		assertThat(consumed)
			.allSatisfy((token) -> assertThat(fixture.verify(token).outcome()).isEqualTo(VerificationOutcome.REPLAYED));
		assertThat(fixture.cache.estimatedSize()).isEqualTo(6);
	}

	@Test
	void verifyWhenFullButProviderMarkFailsThenEngineEntryReleased() {
		// the engine's entry fits, the provider's single-use entry does not: nothing is
		// spent
		Fixture fixture = new Fixture(3);
		assertThat(fixture.verify(fixture.passToken()).outcome()).isEqualTo(VerificationOutcome.PASSED);
		String token = fixture.passToken();

		assertThat(fixture.verify(token).outcome()).isEqualTo(VerificationOutcome.REPLAY_CACHE_FULL);
		assertThat(fixture.cache.estimatedSize()).isEqualTo(2);
	}

	@Test
	void verifyWhenCacheFullAndEntriesExpireThenSpaceFreedForNewTokens() {
		Fixture fixture = new Fixture(4);
		String first = fixture.passToken();
		fixture.verify(first);
		fixture.verify(fixture.passToken());
		assertThat(fixture.verify(fixture.passToken()).outcome()).isEqualTo(VerificationOutcome.REPLAY_CACHE_FULL);

		// past the longest entry TTL (the provider's: token TTL plus a minute) and the
		// cache's timer granularity
		this.clock.advance(TOKEN_TTL.plusMinutes(1).plusSeconds(5));

		assertThat(fixture.verify(fixture.passToken()).outcome()).isEqualTo(VerificationOutcome.PASSED);
		// the consumed token has expired by now: refused for that, not accepted again
		assertThat(fixture.verify(first).outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	/**
	 * The pass token with its signature replaced: same claims, forged signature, distinct
	 * per {@code n}.
	 */
	private static String forgedSignature(String token, int n) {
		String unsigned = token.substring(0, token.lastIndexOf('.') + 1);
		byte[] signature = new byte[32];
		for (int i = 0; i < signature.length; i++) {
			signature[i] = (byte) (n * 31 + i);
		}
		return unsigned + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
	}

	private static String mathAnswer(String question) {
		Matcher matcher = MATH.matcher(question);
		assertThat(matcher.matches()).as(question).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		return Integer.toString(switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		});
	}

	/** A built-in provider and an engine sharing one small replay cache. */
	private final class Fixture {

		private final CaffeineReplayCache cache;

		private final BuiltinCaptchaService builtin;

		private final CaptchaVerificationService engine;

		Fixture(long maxEntries) {
			MutableClock time = BuiltinReplayFloodingTests.this.clock;
			this.cache = new CaffeineReplayCache(maxEntries, () -> time.nanosSince(START));
			BuiltinSettings settings = BuiltinSettings.builder(SIGNING_KEY)
				.siteKeys(List.of(SITE_KEY))
				.tokenTtl(TOKEN_TTL)
				.limits(10_000, 10_000)
				.build();
			this.builtin = new BuiltinCaptchaService(settings, new CaffeineChallengeStore(10_000),
					new CaffeineRateLimiter(1000, time), this.cache, time);
			this.engine = CaptchaVerificationService.builder()
				.provider(new ProviderPolicy(PROVIDER, new BuiltinCaptchaVerifier(PROVIDER, this.builtin), Set.of(),
						null, TOKEN_TTL, TOKEN_TTL, 4096, false, BuiltinCaptchaVerifier.FORM_FIELD))
				.replayCache(this.cache)
				.clock(time)
				.build();
		}

		String passToken() {
			GeneratedChallenge challenge = this.builtin.generate(SITE_KEY, "math", null, null, null);
			String token = this.builtin.validate(SITE_KEY, challenge.captchaId(), mathAnswer(challenge.question()),
					null);
			assertThat(token).isNotNull();
			return token;
		}

		VerificationResult verify(String token) {
			return this.engine.verify(CaptchaRule.defaults(), token, "198.51.100.7");
		}

	}

}
