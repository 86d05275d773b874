package io.github.captchasecurity.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.captchasecurity.CaptchaDecisionCustomizer;
import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application protected by the built-in provider only, whose challenge store remembers
 * what it issued so that tests can answer image and grid challenges as a human would;
 * math and proof-of-work challenges the tests solve by script, as a bot does.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(BuiltinApplication.Api.class)
class BuiltinApplication {

	static final AtomicInteger calls = new AtomicInteger();

	@Bean
	RecordingChallengeStore captchaChallengeStore() {
		return new RecordingChallengeStore();
	}

	/**
	 * Every pass on a route with the action {@code pay} must be stepped up to the
	 * escalation provider.
	 */
	@Bean
	CaptchaDecisionCustomizer payAlwaysEscalates() {
		return (rule, result, context) -> "pay".equals(rule.action());
	}

	@RestController
	static class Api {

		@PostMapping({ "/api/contact", "/api/pay", "/api/form" })
		Map<String, Object> routed() {
			calls.incrementAndGet();
			return Map.of("ok", true);
		}

		@PostMapping("/api/signup")
		@RequireCaptcha(challengeTypes = { "image", "grid" })
		Map<String, Object> signup() {
			calls.incrementAndGet();
			return Map.of("created", true);
		}

	}

	/** Keeps challenges in Caffeine and remembers each one issued. */
	static final class RecordingChallengeStore implements ChallengeStore {

		private final ChallengeStore delegate = new CaffeineChallengeStore(10_000);

		private final Map<String, Challenge> issued = new ConcurrentHashMap<>();

		@Override
		public void save(Challenge challenge, Duration ttl) {
			this.issued.put(challenge.id(), challenge);
			this.delegate.save(challenge, ttl);
		}

		@Override
		public @Nullable Challenge take(String id) {
			return this.delegate.take(id);
		}

		String answer(String id) {
			return this.issued.get(id).answer();
		}

	}

}
