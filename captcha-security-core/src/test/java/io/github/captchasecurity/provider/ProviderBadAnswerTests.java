package io.github.captchasecurity.provider;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.provider.captchala.CaptchalaVerifier;
import io.github.captchasecurity.provider.enterprise.RecaptchaEnterpriseVerifier;
import io.github.captchasecurity.provider.friendly.FriendlyCaptchaVerifier;
import io.github.captchasecurity.provider.hcaptcha.HcaptchaVerifier;
import io.github.captchasecurity.provider.recaptcha.RecaptchaVerifier;
import io.github.captchasecurity.provider.turnstile.TurnstileVerifier;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers a provider might give (or a man in the middle might forge) that parse but must
 * never pass a token, for every hosted provider, through the engine: a duplicated verdict
 * key, a score outside 0.0..1.0, an unreadable or future challenge time, a pass together
 * with an error code. Each provider's answer is first shown to pass when it is well
 * formed, so a refusal is for the bad shape and nothing else.
 */
class ProviderBadAnswerTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final String TOKEN = "token-0123456789-abcdefghij";

	@RegisterExtension
	static final ProviderTestServer stub = new ProviderTestServer();

	@ParameterizedTest(name = "{0} answering {1}")
	@MethodSource("cases")
	void verifyWhenProviderAnswersBadShapeThenNeverPassed(String provider, Shape shape, ProviderCase answers) {
		stub.server().stubFor(post(anyUrl()).willReturn(okJson(answers.body(shape))));
		CaptchaVerifier verifier = answers.verifier().apply(stub.url("/verify"), stub.client());
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(provider, verifier, answers.hostnames(), answers.minScore(),
					Duration.ofMinutes(2), Duration.ofMinutes(2), 4000, answers.scored(), null))
			.replayCache(new CaffeineReplayCache(100))
			.clock(Clock.fixed(NOW, ZoneOffset.UTC))
			.build();

		VerificationResult result = service.verify(new CaptchaRule(provider, null, null), TOKEN, "198.51.100.7");

		assertThat(result.outcome()).isEqualTo(shape.expected);
		assertThat(result.passed()).isEqualTo(shape == Shape.WELL_FORMED);
	}

	static Stream<Arguments> cases() {
		List<Arguments> arguments = new ArrayList<>();
		for (ProviderCase answers : providers()) {
			for (Shape shape : Shape.values()) {
				if (answers.scored() || !shape.name().startsWith("SCORE")) {
					arguments.add(Arguments.of(answers.name(), shape, answers));
				}
			}
		}
		return arguments.stream();
	}

	private static List<ProviderCase> providers() {
		Function<Instant, String> iso = (instant) -> "\"" + instant + "\"";
		Set<String> host = Set.of("example.com");
		return List.of(new ProviderCase("recaptcha-v2",
				"{%DUP%\"success\": true, \"challenge_ts\": %TS%, \"hostname\": \"example.com\"%SCORE%%ERR%}", null,
				", \"score\": %V%", "\"success\": false, ", ", \"error-codes\": [\"invalid-input-secret\"]", iso, host,
				null, true, (url, http) -> new RecaptchaVerifier("recaptcha-v2", url, "our-secret", http)),
				new ProviderCase("recaptcha-v3",
						"{%DUP%\"success\": true, \"challenge_ts\": %TS%, \"hostname\": \"example.com\", "
								+ "\"action\": \"login\"%SCORE%%ERR%}",
						"0.9", ", \"score\": %V%", "\"success\": false, ",
						", \"error-codes\": [\"invalid-input-secret\"]", iso, host, 0.5, true,
						(url, http) -> new RecaptchaVerifier("recaptcha-v3", url, "our-secret", http)),
				new ProviderCase("recaptcha-enterprise",
						"{\"riskAnalysis\": {\"reasons\": []%SCORE%}, \"tokenProperties\": {%DUP%\"valid\": true, "
								+ "\"invalidReason\": \"%ERR%\", \"hostname\": \"example.com\", \"action\": \"login\", "
								+ "\"createTime\": %TS%}}",
						"0.9", ", \"score\": %V%", "\"valid\": false, ", "MALFORMED", iso, host, 0.5, true,
						(url, http) -> new RecaptchaEnterpriseVerifier("recaptcha-enterprise", url, "our-api-key",
								"our-site-key", http)),
				new ProviderCase("hcaptcha",
						"{%DUP%\"success\": true, \"challenge_ts\": %TS%, \"hostname\": \"example.com\"%SCORE%%ERR%}",
						"0.1", ", \"score\": %V%", "\"success\": false, ",
						", \"error-codes\": [\"invalid-input-secret\"]", iso, host, 0.5, true,
						(url, http) -> new HcaptchaVerifier("hcaptcha", url, "our-secret", null, http)),
				new ProviderCase("turnstile",
						"{%DUP%\"success\": true, \"challenge_ts\": %TS%, \"hostname\": \"example.com\", "
								+ "\"action\": \"login\"%ERR%}",
						null, "", "\"success\": false, ", ", \"error-codes\": [\"invalid-input-secret\"]", iso, host,
						null, false, (url, http) -> new TurnstileVerifier("turnstile", url, "our-secret", null, http)),
				new ProviderCase("captchala",
						"{\"code\": 0, \"msg\": \"ok\", \"data\": {%DUP%\"valid\": true, %ERR%\"action\": \"login\", "
								+ "\"captcha_args\": {\"platform\": \"web\", \"solved_at\": %TS%}}}",
						null, "", "\"valid\": false, ", "\"error\": \"invalid_app_secret\", ",
						(instant) -> String.valueOf(instant.getEpochSecond()), Set.of(), null, false,
						(url, http) -> new CaptchalaVerifier("captchala", url, url, "our-app-key", "our-app-secret",
								false, false, http)),
				new ProviderCase("friendly-captcha",
						"{%DUP%\"success\": true, %ERR%\"data\": {\"challenge\": {\"timestamp\": %TS%, "
								+ "\"origin\": \"https://example.com\"}}}",
						null, "", "\"success\": false, ",
						"\"error\": {\"error_code\": \"auth_invalid\", \"detail\": \"bad key\"}, ", iso, host, null,
						false, (url, http) -> new FriendlyCaptchaVerifier("friendly-captcha", url, "our-api-key", null,
								http)));
	}

	/** A bad shape of answer and the outcome README documents for it. */
	enum Shape {

		WELL_FORMED(VerificationOutcome.PASSED),

		DUPLICATED_VERDICT_KEY(VerificationOutcome.PROVIDER_UNAVAILABLE),

		SCORE_ABOVE_ONE(VerificationOutcome.PROVIDER_UNAVAILABLE),

		SCORE_BELOW_ZERO(VerificationOutcome.PROVIDER_UNAVAILABLE),

		SCORE_NAN(VerificationOutcome.PROVIDER_UNAVAILABLE),

		SCORE_NAN_STRING(VerificationOutcome.PROVIDER_UNAVAILABLE),

		TIMESTAMP_UNREADABLE(VerificationOutcome.PROVIDER_UNAVAILABLE),

		TIMESTAMP_IN_FUTURE(VerificationOutcome.INVALID),

		PASS_WITH_SECRET_ERROR(VerificationOutcome.PROVIDER_UNAVAILABLE);

		final VerificationOutcome expected;

		Shape(VerificationOutcome expected) {
			this.expected = expected;
		}

	}

	/**
	 * How one provider answers: a template of its passing answer with the places a bad
	 * shape changes.
	 */
	record ProviderCase(String name, String template, @Nullable String goodScore, String scoreMember, String duplicate,
			String error, Function<Instant, String> timestamp, Set<String> hostnames, @Nullable Double minScore,
			boolean scored, BiFunction<URI, CaptchaHttpClient, CaptchaVerifier> verifier) {

		String body(Shape shape) {
			String score = switch (shape) {
				case SCORE_ABOVE_ONE -> "1.5";
				case SCORE_BELOW_ZERO -> "-0.1";
				case SCORE_NAN -> "NaN";
				case SCORE_NAN_STRING -> "\"NaN\"";
				default -> this.goodScore;
			};
			String ts = switch (shape) {
				case TIMESTAMP_UNREADABLE -> "\"yesterday\"";
				case TIMESTAMP_IN_FUTURE -> this.timestamp.apply(NOW.plus(Duration.ofHours(1)));
				default -> this.timestamp.apply(NOW.minusSeconds(10));
			};
			boolean enterprise = this.error.equals("MALFORMED");
			String error = (shape == Shape.PASS_WITH_SECRET_ERROR) ? this.error
					: enterprise ? "INVALID_REASON_UNSPECIFIED" : "";
			return this.template.replace("%DUP%", (shape == Shape.DUPLICATED_VERDICT_KEY) ? this.duplicate : "")
				.replace("%SCORE%", (score != null) ? this.scoreMember.replace("%V%", score) : "")
				.replace("%TS%", ts)
				.replace("%ERR%", error);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
