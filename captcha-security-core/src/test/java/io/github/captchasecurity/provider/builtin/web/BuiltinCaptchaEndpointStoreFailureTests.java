package io.github.captchasecurity.provider.builtin.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.servlet.CapturingResponse;
import io.github.captchasecurity.servlet.TestRequest;
import io.github.captchasecurity.store.CaptchaStoreException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in endpoints when the challenge store or rate limiter cannot be reached: a
 * stable 503 {@code captcha_store_unavailable} problem, never a 500.
 */
class BuiltinCaptchaEndpointStoreFailureTests {

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	@Test
	void generateWhenChallengeStoreFailsThenStoreUnavailable() throws Exception {
		CapturingResponse response = post(filter(new UnreachableChallengeStore()), "/captcha/generate",
				"{\"site_key\":\"demo\",\"type\":\"math\"}");

		assertStoreUnavailable(response);
	}

	@Test
	void validateWhenChallengeStoreFailsThenStoreUnavailable() throws Exception {
		CapturingResponse response = post(filter(new UnreachableChallengeStore()), "/captcha/validate",
				"{\"site_key\":\"demo\",\"captcha_id\":\"abc\",\"user_input\":\"12\"}");

		assertStoreUnavailable(response);
	}

	@Test
	void generateWhenRateLimiterFailsThenStoreUnavailable() throws Exception {
		BuiltinCaptchaService service = new BuiltinCaptchaService(settings(), new CaffeineChallengeStore(100),
				(key, limit, window) -> {
					throw new CaptchaStoreException("Redis INCR window failed: RedisConnectionFailureException");
				}, new CaffeineReplayCache(100), Clock.systemUTC());

		CapturingResponse response = post(new BuiltinCaptchaEndpointFilter(service, "/captcha"), "/captcha/generate",
				"{\"site_key\":\"demo\",\"type\":\"math\"}");

		assertStoreUnavailable(response);
	}

	private static void assertStoreUnavailable(CapturingResponse response) {
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"code\":\"captcha_store_unavailable\"")
			.doesNotContain("Redis");
	}

	private static BuiltinSettings settings() {
		return BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of("demo")).build();
	}

	private static BuiltinCaptchaEndpointFilter filter(ChallengeStore store) {
		BuiltinCaptchaService service = new BuiltinCaptchaService(settings(), store,
				new CaffeineRateLimiter(100, Clock.systemUTC()), new CaffeineReplayCache(100), Clock.systemUTC());
		return new BuiltinCaptchaEndpointFilter(service, "/captcha");
	}

	private static CapturingResponse post(BuiltinCaptchaEndpointFilter filter, String path, String body)
			throws Exception {
		TestRequest request = new TestRequest("POST", path);
		request.setContentType("application/json");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();
		filter.doFilter(request, response, (req, res) -> {
			throw new AssertionError("the chain must not run");
		});
		return response;
	}

	/** A challenge store whose backend is down. */
	private static final class UnreachableChallengeStore implements ChallengeStore {

		@Override
		public void save(Challenge challenge, Duration ttl) {
			throw new CaptchaStoreException("Redis SET failed: RedisConnectionFailureException");
		}

		@Override
		public @Nullable Challenge take(String id) {
			throw new CaptchaStoreException("Redis GET+DEL failed: RedisConnectionFailureException");
		}

	}

}
