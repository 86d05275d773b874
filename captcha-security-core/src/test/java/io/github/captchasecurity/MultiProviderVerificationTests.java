package io.github.captchasecurity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CaptchaVerificationService} with several providers: which provider a
 * multi-provider rule picks, fail-open rules, scored and unscored providers, raw scores
 * and the context passed to the verifier.
 */
class MultiProviderVerificationTests {

	private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

	private static final String TURNSTILE = "turnstile";

	private static final String LOCAL = "local";

	private static final String RECAPTCHA = "recaptcha";

	private static final String HCAPTCHA = "hcaptcha";

	private static final String TURNSTILE_FIELD = "cf-turnstile-response";

	private static final String LOCAL_FIELD = "captcha-token";

	private static final String RECAPTCHA_FIELD = "g-recaptcha-response";

	private static final String HCAPTCHA_FIELD = "h-captcha-response";

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final AtomicInteger tokenNumber = new AtomicInteger();

	/** The providers asked, in order. */
	private final List<String> asked = new CopyOnWriteArrayList<>();

	/** The requests each provider received. */
	private final Map<String, List<VerificationRequest>> received = new ConcurrentHashMap<>();

	/** What each provider answers; a provider without an entry passes without a score. */
	private final Map<String, VerificationResult> answers = new ConcurrentHashMap<>();

	@BeforeEach
	void setUp() {
		this.asked.clear();
		this.received.clear();
		this.answers.clear();
	}

	// --- picking the provider by the field that carried the token ---

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void verifyWhenTokenCameInTurnstileFieldThenTurnstileAskedWhateverTheRuleOrder(boolean turnstileFirst) {
		CaptchaVerificationService service = standardService();
		CaptchaRule rule = rule(turnstileFirst ? List.of(TURNSTILE, LOCAL) : List.of(LOCAL, TURNSTILE));

		VerificationResult result = service.verifyWithContext(rule, nextToken(), fields(TURNSTILE_FIELD));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(TURNSTILE);
		assertThat(this.asked).containsExactly(TURNSTILE);
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void verifyWhenTokenCameInLocalFieldThenLocalAskedWhateverTheRuleOrder(boolean turnstileFirst) {
		CaptchaVerificationService service = standardService();
		CaptchaRule rule = rule(turnstileFirst ? List.of(TURNSTILE, LOCAL) : List.of(LOCAL, TURNSTILE));

		VerificationResult result = service.verifyWithContext(rule, nextToken(), fields(LOCAL_FIELD));

		assertThat(result.provider()).isEqualTo(LOCAL);
		assertThat(this.asked).containsExactly(LOCAL);
	}

	@Test
	void verifyWhenFieldOfProviderOutsideRuleThenFirstOfRuleAsked() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), nextToken(),
				fields(RECAPTCHA_FIELD));

		assertThat(result.provider()).isEqualTo(LOCAL);
		assertThat(this.asked).containsExactly(LOCAL);
	}

	@Test
	void verifyWhenFieldUnknownThenHintPicksProvider() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(TURNSTILE, LOCAL)), nextToken(),
				context(Set.of("X-Captcha-Token"), LOCAL));

		assertThat(result.provider()).isEqualTo(LOCAL);
		assertThat(this.asked).containsExactly(LOCAL);
	}

	@Test
	void verifyWhenNoFieldsAndHintThenHintPicksProvider() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), nextToken(),
				context(Set.of(), TURNSTILE));

		assertThat(result.provider()).isEqualTo(TURNSTILE);
	}

	@Test
	void verifyWhenFieldAndHintDisagreeThenNamedProviderWins() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), nextToken(),
				context(Set.of(TURNSTILE_FIELD), LOCAL));

		assertThat(result.provider()).isEqualTo(LOCAL);
		assertThat(this.asked).containsExactly(LOCAL);
	}

	@ParameterizedTest
	@ValueSource(strings = { RECAPTCHA, "not-configured", "TURNSTILE", "" })
	void verifyWhenHintNotInRuleThenIgnoredAndFirstAsked(String hint) {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), nextToken(),
				context(Set.of("X-Captcha-Token"), hint));

		assertThat(result.provider()).isEqualTo(LOCAL);
		assertThat(this.asked).containsExactly(LOCAL);
	}

	@Test
	void verifyWhenNothingKnownThenFirstOfRuleAsked() {
		CaptchaVerificationService service = standardService();

		VerificationResult first = service.verifyWithContext(rule(List.of(TURNSTILE, LOCAL)), nextToken(),
				context(Set.of(), null));
		VerificationResult second = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), nextToken(),
				context(Set.of(), null));

		assertThat(first.provider()).isEqualTo(TURNSTILE);
		assertThat(second.provider()).isEqualTo(LOCAL);
		assertThat(this.asked).containsExactly(TURNSTILE, LOCAL);
	}

	@Test
	void verifyWhenSingleProviderRuleThenFieldAndHintIgnored() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(new CaptchaRule(LOCAL, null, null), nextToken(),
				context(Set.of(TURNSTILE_FIELD), TURNSTILE));

		assertThat(result.provider()).isEqualTo(LOCAL);
		assertThat(this.asked).containsExactly(LOCAL);
	}

	@Test
	void verifyWhenRuleNamesNoProviderThenDefaultProviderAsked() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(CaptchaRule.defaults(), nextToken(),
				context(Set.of(TURNSTILE_FIELD), TURNSTILE));

		assertThat(result.provider()).isEqualTo(RECAPTCHA);
	}

	@Test
	void verifyWhenTokenMissingThenMissingReportedForPickedProvider() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), null,
				fields(TURNSTILE_FIELD));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.MISSING);
		assertThat(result.provider()).isEqualTo(TURNSTILE);
		assertThat(this.asked).isEmpty();
	}

	@Test
	void verifyWhenTokenInReCaptchaFieldOnlyAndRuleAcceptsBothThenReCaptchaAsked() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(HCAPTCHA, RECAPTCHA)), nextToken(),
				fields(RECAPTCHA_FIELD));

		assertThat(result.provider()).isEqualTo(RECAPTCHA);
	}

	@Test
	void verifyWhenHcaptchaFillsBothFieldsAndRuleListsHcaptchaFirstThenHcaptchaAsked() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(HCAPTCHA, RECAPTCHA)), nextToken(),
				fields(HCAPTCHA_FIELD, RECAPTCHA_FIELD));

		assertThat(result.provider()).isEqualTo(HCAPTCHA);
		assertThat(this.asked).containsExactly(HCAPTCHA);
	}

	@Test
	void verifyWhenHcaptchaFillsBothFieldsAndRuleListsRecaptchaFirstThenHcaptchaAsked() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(RECAPTCHA, HCAPTCHA)), nextToken(),
				fields(HCAPTCHA_FIELD, RECAPTCHA_FIELD));

		assertThat(result.provider()).isEqualTo(HCAPTCHA);
		assertThat(this.asked).containsExactly(HCAPTCHA);
	}

	// --- fail open ---

	@Test
	void verifyWhenFailOpenRuleAndProviderUnavailableThenPassedMarkedFailOpen() {
		this.answers.put(TURNSTILE, VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, TURNSTILE));
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(TURNSTILE, LOCAL)).withFailOpen(true),
				nextToken(), fields(TURNSTILE_FIELD));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.passed()).isTrue();
		assertThat(result.provider()).isEqualTo(TURNSTILE);
		assertThat(result.errorCodes()).containsExactly(CaptchaVerificationService.FAIL_OPEN);
		assertThat(result.score()).isNull();
		assertThat(this.asked).containsExactly(TURNSTILE);
	}

	@Test
	void verifyWhenFailOpenRuleAndVerifierThrowsThenPassedMarkedFailOpen() {
		CaptchaVerifier throwing = (request) -> {
			throw new IllegalStateException("boom");
		};
		CaptchaVerificationService service = service(policy(TURNSTILE, throwing, null, false, TURNSTILE_FIELD));

		VerificationResult result = service.verify(new CaptchaRule(TURNSTILE, null, null).withFailOpen(true),
				nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.errorCodes()).containsExactly(CaptchaVerificationService.FAIL_OPEN);
	}

	@Test
	void verifyWhenFailClosedRuleAndProviderUnavailableThenProviderUnavailable() {
		this.answers.put(TURNSTILE, VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, TURNSTILE));
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(TURNSTILE, LOCAL)), nextToken(),
				fields(TURNSTILE_FIELD));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(result.passed()).isFalse();
		assertThat(result.errorCodes()).doesNotContain(CaptchaVerificationService.FAIL_OPEN);
	}

	@ParameterizedTest
	@EnumSource(value = VerificationOutcome.class, names = { "INVALID", "EXPIRED" })
	void verifyWhenFailOpenRuleAndProviderRejectsTokenThenStillRejected(VerificationOutcome rejection) {
		this.answers.put(TURNSTILE, new VerificationResult(rejection, TURNSTILE, null, null, null, null,
				List.of("invalid-input-response")));
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(TURNSTILE, LOCAL)).withFailOpen(true),
				nextToken(), fields(TURNSTILE_FIELD));

		assertThat(result.outcome()).isEqualTo(rejection);
		assertThat(result.errorCodes()).containsExactly("invalid-input-response");
	}

	@Test
	void verifyWhenFailOpenRuleAndTokenMissingOrMalformedThenStillRejectedWithoutAskingProvider() {
		this.answers.put(TURNSTILE, VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, TURNSTILE));
		CaptchaVerificationService service = standardService();
		CaptchaRule rule = new CaptchaRule(TURNSTILE, null, null).withFailOpen(true);

		VerificationResult missing = service.verify(rule, null, null);
		VerificationResult malformed = service.verify(rule, "bad token", null);

		assertThat(missing.outcome()).isEqualTo(VerificationOutcome.MISSING);
		assertThat(malformed.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(this.asked).isEmpty();
	}

	@Test
	void verifyWhenFailOpenRuleAndProviderPassesThenNotMarkedFailOpen() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verify(new CaptchaRule(TURNSTILE, null, null).withFailOpen(true),
				nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.errorCodes()).doesNotContain(CaptchaVerificationService.FAIL_OPEN);
	}

	@Test
	void verifyWhenFailOpenPassedThenReplayStillDetectedOnceProviderBack() {
		this.answers.put(TURNSTILE, VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, TURNSTILE));
		CaptchaVerificationService service = standardService();
		CaptchaRule rule = new CaptchaRule(TURNSTILE, null, null).withFailOpen(true);
		String token = nextToken();

		VerificationResult open = service.verify(rule, token, null);
		this.answers.remove(TURNSTILE);
		VerificationResult checked = service.verify(rule, token, null);
		VerificationResult replayed = service.verify(rule, token, null);

		assertThat(open.errorCodes()).containsExactly(CaptchaVerificationService.FAIL_OPEN);
		assertThat(checked.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(checked.errorCodes()).isEmpty();
		assertThat(replayed.outcome()).isEqualTo(VerificationOutcome.REPLAYED);
		assertThat(this.asked).containsExactly(TURNSTILE, TURNSTILE);
	}

	// --- scored and unscored providers ---

	@Test
	void verifyWhenUnscoredProviderThenRuleMinScoreIgnoredAndNoScoreRequested() {
		CaptchaVerificationService service = service(policy(TURNSTILE, recording(TURNSTILE), 0.9, false, null));

		VerificationResult result = service.verify(new CaptchaRule(TURNSTILE, null, 0.7), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.score()).isNull();
		assertThat(this.received.get(TURNSTILE)).singleElement().satisfies((request) -> {
			assertThat(request.minScore()).isNull();
			assertThat(request.scoreRequired()).isFalse();
		});
	}

	@Test
	void verifyWhenUnscoredProviderWithProviderMinScoreThenIgnored() {
		CaptchaVerificationService service = service(policy(TURNSTILE, recording(TURNSTILE), 0.9, false, null));

		VerificationResult result = service.verify(new CaptchaRule(TURNSTILE, null, null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.received.get(TURNSTILE).get(0).minScore()).isNull();
	}

	@Test
	void verifyWhenUnscoredProviderWithExpectedActionAndNoActionReportedThenActionMismatch() {
		// a token solved without an action (on a harmless page) must not unlock a route
		// that expects one
		CaptchaVerificationService service = service(policy(TURNSTILE, recording(TURNSTILE), 0.9, false, null));

		VerificationResult result = service.verify(new CaptchaRule(TURNSTILE, "login", 0.5), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
		assertThat(service.verify(new CaptchaRule(TURNSTILE, null, 0.5), nextToken(), null).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenScoredProviderAndNoScoreThenLowScore() {
		CaptchaVerificationService service = service(policy(HCAPTCHA, recording(HCAPTCHA), 0.5, true, null));

		VerificationResult result = service.verify(new CaptchaRule(HCAPTCHA, null, null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.LOW_SCORE);
		assertThat(this.received.get(HCAPTCHA).get(0).minScore()).isEqualTo(0.5);
	}

	@Test
	void verifyWhenScoredProviderAndRuleMinScoreThenRuleMinScoreWins() {
		this.answers.put(HCAPTCHA, scored(HCAPTCHA, 0.6, 0.4));
		CaptchaVerificationService service = service(policy(HCAPTCHA, recording(HCAPTCHA), 0.5, true, null));

		VerificationResult strict = service.verify(new CaptchaRule(HCAPTCHA, null, 0.7), nextToken(), null);
		VerificationResult lenient = service.verify(new CaptchaRule(HCAPTCHA, null, 0.3), nextToken(), null);
		VerificationResult provider = service.verify(new CaptchaRule(HCAPTCHA, null, null), nextToken(), null);

		assertThat(strict.outcome()).isEqualTo(VerificationOutcome.LOW_SCORE);
		assertThat(lenient.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(provider.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.received.get(HCAPTCHA)).extracting(VerificationRequest::minScore)
			.containsExactly(0.7, 0.3, 0.5);
	}

	@Test
	void verifyWhenScoredProviderWithoutAnyMinScoreThenMissingScoreAccepted() {
		CaptchaVerificationService service = service(policy(HCAPTCHA, recording(HCAPTCHA), null, true, null));

		VerificationResult result = service.verify(new CaptchaRule(HCAPTCHA, null, null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// --- raw score ---

	@Test
	void verifyWhenProviderReportsRawScoreThenBothScoresInResult() {
		this.answers.put(HCAPTCHA, scored(HCAPTCHA, 0.8, 0.2));
		CaptchaVerificationService service = service(policy(HCAPTCHA, recording(HCAPTCHA), 0.5, true, null));

		VerificationResult result = service.verify(new CaptchaRule(HCAPTCHA, null, null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.score()).isEqualTo(0.8);
		assertThat(result.rawScore()).isEqualTo(0.2);
	}

	@Test
	void verifyWhenRejectedForLowScoreThenRawScoreStillReported() {
		this.answers.put(HCAPTCHA, scored(HCAPTCHA, 0.1, 0.9));
		CaptchaVerificationService service = service(policy(HCAPTCHA, recording(HCAPTCHA), 0.5, true, null));

		VerificationResult result = service.verify(new CaptchaRule(HCAPTCHA, null, null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.LOW_SCORE);
		assertThat(result.score()).isEqualTo(0.1);
		assertThat(result.rawScore()).isEqualTo(0.9);
	}

	// --- context reaching the verifier ---

	@Test
	void verifyWhenContextHasUserAgentAndIpThenVerifierRequestCarriesThem() {
		CaptchaVerificationService service = standardService();
		String userAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1.15";

		service.verifyWithContext(rule(List.of(TURNSTILE, LOCAL)), nextToken(),
				new VerificationContext("198.51.100.7", userAgent, Set.of(TURNSTILE_FIELD), null));

		assertThat(this.received.get(TURNSTILE)).singleElement().satisfies((request) -> {
			assertThat(request.userAgent()).isEqualTo(userAgent);
			assertThat(request.clientIp()).isEqualTo("198.51.100.7");
		});
	}

	@Test
	void verifyWithClientIpOnlyThenNoUserAgent() {
		CaptchaVerificationService service = standardService();

		service.verify(new CaptchaRule(TURNSTILE, null, null), nextToken(), "198.51.100.7");

		assertThat(this.received.get(TURNSTILE)).singleElement().satisfies((request) -> {
			assertThat(request.userAgent()).isNull();
			assertThat(request.clientIp()).isEqualTo("198.51.100.7");
		});
	}

	@Test
	void verifyWhenPickedProviderHasOwnSettingsThenTheyApply() {
		CaptchaVerificationService service = service(
				new ProviderPolicy(TURNSTILE, recording(TURNSTILE), Set.of("example.com"), null, Duration.ofMinutes(5),
						Duration.ofMinutes(5), 2048, false, TURNSTILE_FIELD),
				new ProviderPolicy(LOCAL, recording(LOCAL), Set.of(), null, Duration.ofMinutes(1),
						Duration.ofMinutes(1), 16, false, LOCAL_FIELD));

		VerificationResult local = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), "t".repeat(17),
				fields(LOCAL_FIELD));
		VerificationResult turnstile = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), "t".repeat(17),
				fields(TURNSTILE_FIELD));

		assertThat(local.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(turnstile.outcome()).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
		assertThat(this.received.get(TURNSTILE)).singleElement()
			.satisfies((request) -> assertThat(request.expectedHostnames()).containsExactly("example.com"));
	}

	// --- token length per provider ---

	@Test
	void verifyWhenTurnstileTokenOf2049CharactersThenMalformedWithoutAskingProvider() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), "a".repeat(2049),
				fields(TURNSTILE_FIELD));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(result.provider()).isEqualTo(TURNSTILE);
		assertThat(this.asked).isEmpty();
	}

	@Test
	void verifyWhenTurnstileTokenOf2048CharactersThenProviderAsked() {
		CaptchaVerificationService service = standardService();

		VerificationResult result = service.verifyWithContext(rule(List.of(LOCAL, TURNSTILE)), "a".repeat(2048),
				fields(TURNSTILE_FIELD));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.received.get(TURNSTILE)).singleElement()
			.satisfies((request) -> assertThat(request.token()).hasSize(2048));
	}

	// --- helpers ---

	/**
	 * reCAPTCHA (default, 4000), Turnstile (2048), local (64) and hCaptcha (32 KiB), each
	 * with its widget field.
	 */
	private CaptchaVerificationService standardService() {
		return service(policy(RECAPTCHA, recording(RECAPTCHA), null, true, RECAPTCHA_FIELD, 4000),
				policy(TURNSTILE, recording(TURNSTILE), null, false, TURNSTILE_FIELD, 2048),
				policy(LOCAL, recording(LOCAL), null, false, LOCAL_FIELD, 64),
				policy(HCAPTCHA, recording(HCAPTCHA), null, false, HCAPTCHA_FIELD, 32 * 1024));
	}

	private CaptchaVerificationService service(ProviderPolicy... policies) {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(1000))
			.clock(this.clock);
		for (ProviderPolicy policy : policies) {
			builder.provider(policy);
		}
		return builder.build();
	}

	private static ProviderPolicy policy(String name, CaptchaVerifier verifier, Double minScore, boolean scored,
			String formField) {
		return policy(name, verifier, minScore, scored, formField, 4000);
	}

	private static ProviderPolicy policy(String name, CaptchaVerifier verifier, Double minScore, boolean scored,
			String formField, int maxTokenLength) {
		return new ProviderPolicy(name, verifier, Set.of(), minScore, Duration.ofMinutes(5), Duration.ofMinutes(5),
				maxTokenLength, scored, formField);
	}

	/** A verifier that records what it is asked and answers from {@link #answers}. */
	private CaptchaVerifier recording(String name) {
		return (request) -> {
			this.asked.add(name);
			this.received.computeIfAbsent(name, (key) -> new CopyOnWriteArrayList<>()).add(request);
			VerificationResult answer = this.answers.get(name);
			return (answer != null) ? answer
					: new VerificationResult(VerificationOutcome.PASSED, name, null, null, null, null, List.of());
		};
	}

	private static VerificationResult scored(String name, double score, double rawScore) {
		return new VerificationResult(VerificationOutcome.PASSED, name, score, null, null, null, List.of(), rawScore);
	}

	private static CaptchaRule rule(List<String> providers) {
		return new CaptchaRule(providers, null, null, false);
	}

	private static VerificationContext fields(String... fields) {
		return context(Set.of(fields), null);
	}

	private static VerificationContext context(Set<String> fields, String hint) {
		return new VerificationContext("192.0.2.1", null, fields, hint);
	}

	private String nextToken() {
		return "token-" + this.tokenNumber.incrementAndGet();
	}

}
