package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for the per-client limits of {@code generate} and {@code validate}: one client's
 * flood exhausts only its own share, its refused requests do not use up the site key's
 * budget, and clients are keyed by a digest of their IP.
 */
class BuiltinClientRateLimitTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final String BOT = "203.0.113.66";

	private static final String USER = "198.51.100.7";

	private final MutableClock clock = new MutableClock(START);

	/** The keys counted, to show no raw IP is one. */
	private final Set<String> keys = new CopyOnWriteArraySet<>();

	private final RateLimiter limiter = recording(new CaffeineRateLimiter(1000, this.clock));

	@Test
	void generateWhenOneClientFloodsThenOnlyItGets429AndItsRefusedRequestsLeaveTheSiteKeyBudget() {
		// the site key allows 4 an hour, each client 3: the bot's 50 requests must leave
		// one for the user
		BuiltinCaptchaService service = service(settings().limits(4, 100).clientLimits(3, 100));
		int refused = 0;
		for (int i = 0; i < 50; i++) {
			BuiltinCaptchaException ex = catchThrowableOfType(BuiltinCaptchaException.class,
					() -> service.generate(SITE_KEY, "image", null, null, BOT));
			if (ex != null) {
				assertThat(ex.getStatus()).isEqualTo(429);
				assertThat(ex.getCode()).isEqualTo(BuiltinCaptchaException.RATE_LIMITED);
				assertThat(ex.getRetryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
				refused++;
			}
		}
		assertThat(refused).isEqualTo(47);

		assertThat(service.generate(SITE_KEY, "image", null, null, USER)).isNotNull();
		// and the site key's own limit still holds: that was its fourth
		BuiltinCaptchaException siteKeyLimit = catchThrowableOfType(BuiltinCaptchaException.class,
				() -> service.generate(SITE_KEY, "image", null, null, "192.0.2.1"));
		assertThat(siteKeyLimit.getStatus()).isEqualTo(429);
	}

	@Test
	void validateWhenOneClientFloodsThenOnlyItGets429AndOthersStillValidate() {
		BuiltinCaptchaService service = service(settings().limits(100, 4).clientLimits(100, 3));
		GeneratedChallenge userChallenge = service.generate(SITE_KEY, "image", null, null, USER);
		int refused = 0;
		for (int i = 0; i < 30; i++) {
			BuiltinCaptchaException ex = catchThrowableOfType(BuiltinCaptchaException.class,
					() -> service.validate(SITE_KEY, "guessed-id", "AAAAA", BOT));
			refused += (ex != null && ex.getStatus() == 429) ? 1 : 0;
		}
		assertThat(refused).isEqualTo(27);

		assertThat(service.validate(SITE_KEY, userChallenge.captchaId(), "wrong", USER)).isNull();
	}

	@Test
	void limitsWhenCountedThenKeyedByADigestOfTheClientIpNeverTheIp() {
		BuiltinCaptchaService service = service(settings());
		GeneratedChallenge challenge = service.generate(SITE_KEY, "image", null, null, BOT);
		service.validate(SITE_KEY, challenge.captchaId(), "wrong", BOT);

		assertThat(this.keys).hasSize(4)
			.noneMatch((key) -> key.contains(BOT))
			.noneMatch((key) -> key.contains(SITE_KEY));
		assertThat(this.keys).filteredOn((key) -> key.contains(":client:")).hasSize(2);
	}

	@Test
	void defaultsWhenNotSetThenSixtyGeneratesAndOneHundredTwentyValidatesPerClientAndHour() {
		BuiltinSettings defaults = BuiltinSettings.builder(SIGNING_KEY).build();

		assertThat(defaults.generatePerClientPerHour()).isEqualTo(60);
		assertThat(defaults.validatePerClientPerHour()).isEqualTo(120);
		assertThat(defaults.generatePerHour()).isEqualTo(100);
		assertThat(defaults.validatePerHour()).isEqualTo(200);
	}

	@Test
	void generateWhenClientIpUnknownThenOnlyTheSiteKeyLimitApplies() {
		BuiltinCaptchaService service = service(settings().limits(5, 100).clientLimits(1, 100));

		for (int i = 0; i < 5; i++) {
			assertThat(service.generate(SITE_KEY, "image", null, null, null)).isNotNull();
		}
	}

	private BuiltinSettings.Builder settings() {
		return BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of(SITE_KEY));
	}

	private BuiltinCaptchaService service(BuiltinSettings.Builder settings) {
		return new BuiltinCaptchaService(settings.build(), new CaffeineChallengeStore(1000), this.limiter,
				new CaffeineReplayCache(1000), this.clock);
	}

	private RateLimiter recording(RateLimiter delegate) {
		return (key, limit, window) -> {
			this.keys.add(key);
			return delegate.acquire(key, limit, window);
		};
	}

}
