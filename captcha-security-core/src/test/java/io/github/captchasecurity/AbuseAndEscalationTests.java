package io.github.captchasecurity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.provider.builtin.MutableClock;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the abuse controls and escalation of {@link CaptchaVerificationService}:
 * failures counted per client IP and account, 429 past the block threshold, step-up past
 * the step-up threshold, the score band, decision customizers and listeners. Stub
 * verifiers stand in for the providers; time is a {@link MutableClock}.
 */
class AbuseAndEscalationTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final Duration WINDOW = Duration.ofMinutes(15);

	/** The scored provider routes use first. */
	private static final String PRIMARY = "recaptcha";

	private static final String PRIMARY_FIELD = "g-recaptcha-response";

	/** The stronger provider routes escalate to; not in any rule's provider list. */
	private static final String STRONG = "builtin";

	private static final String STRONG_FIELD = "captcha-token";

	/** A configured provider no rule here accepts. */
	private static final String OTHER = "hcaptcha";

	private static final String ACTION = "login";

	private static final String IP = "198.51.100.7";

	private static final String OTHER_IP = "203.0.113.9";

	private static final String ACCOUNT = "alice";

	/** Escalates scores in [0.3, 0.7) and on step-up. */
	private static final CaptchaRule BAND_RULE = new CaptchaRule(List.of(PRIMARY), ACTION, 0.3, false, 0.7, STRONG,
			false);

	/** Escalates on step-up (and customizer) only. */
	private static final CaptchaRule STEP_UP_RULE = new CaptchaRule(List.of(PRIMARY), ACTION, null, false)
		.withEscalation(null, STRONG);

	/** Does not escalate. */
	private static final CaptchaRule PLAIN_RULE = new CaptchaRule(List.of(PRIMARY), ACTION, null, false);

	private final MutableClock clock = new MutableClock(START);

	private final CaffeineFailureCounter counter = new CaffeineFailureCounter(1000, this.clock);

	private final AtomicInteger tokenNumber = new AtomicInteger();

	/** The providers asked, in order. */
	private final List<String> asked = new CopyOnWriteArrayList<>();

	/** What the primary provider answers next. */
	private VerificationResult primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);

	/** What the stronger provider answers next. */
	private VerificationResult strongAnswer = strong(VerificationOutcome.PASSED);

	/** The escalation factory's calls: provider, action, context. */
	private final List<List<Object>> factoryCalls = new CopyOnWriteArrayList<>();

	private EscalationChallengeFactory factory = (provider, action, context) -> {
		this.factoryCalls.add(List.of(provider, String.valueOf(action), context));
		return Map.of("type", "grid", "site_key", "public-site-key", "generate_url", "/captcha/generate");
	};

	// --- counting failures

	@Test
	void verifyWhenRejectedThenCountedPerIpAndPerAccount() {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);

		service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(this.counter.count("ip:" + IP)).isEqualTo(1);
		assertThat(this.counter.count("account:" + ACCOUNT)).isEqualTo(1);
	}

	@Test
	void verifyWhenAccountInOtherCaseOrPaddedThenSameAccountKey() {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);

		service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, "Alice"));
		service.verifyWithContext(PLAIN_RULE, nextToken(), context(OTHER_IP, " ALICE "));

		assertThat(this.counter.count("account:alice")).isEqualTo(2);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(1);
		assertThat(this.counter.count("ip:" + OTHER_IP)).isEqualTo(1);
	}

	@Test
	void abuseKeysWhenIpAndAccountThenBothNormalized() {
		assertThat(AbuseControl.abuseKeys(context(IP, "  Alice@Example.COM "))).containsExactly("ip:" + IP,
				"account:alice@example.com");
		assertThat(AbuseControl.abuseKeys(context(null, ACCOUNT))).containsExactly("account:alice");
		assertThat(AbuseControl.abuseKeys(context(IP, "   "))).containsExactly("ip:" + IP);
		assertThat(AbuseControl.abuseKeys(context(null, null))).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(names = { "INVALID", "EXPIRED", "LOW_SCORE", "ACTION_MISMATCH", "HOSTNAME_MISMATCH" })
	void verifyWhenProviderRejectsThenCounted(VerificationOutcome outcome) {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(outcome, null);

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(result.outcome()).isEqualTo(outcome);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(1);
		assertThat(this.counter.count("account:" + ACCOUNT)).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   " })
	void verifyWhenTokenMissingThenCounted(String blank) {
		CaptchaVerificationService service = service();

		assertThat(service.verifyWithContext(PLAIN_RULE, null, context(IP, ACCOUNT)).outcome())
			.isEqualTo(VerificationOutcome.MISSING);
		assertThat(service.verifyWithContext(PLAIN_RULE, blank, context(IP, ACCOUNT)).outcome())
			.isEqualTo(VerificationOutcome.MISSING);

		assertThat(this.counter.count("ip:" + IP)).isEqualTo(2);
		assertThat(this.counter.count("account:" + ACCOUNT)).isEqualTo(2);
		assertThat(this.asked).isEmpty();
	}

	@Test
	void verifyWhenMalformedOrReplayedThenCounted() {
		CaptchaVerificationService service = service();
		String token = nextToken();

		service.verifyWithContext(PLAIN_RULE, "tok en", context(IP, null));
		service.verifyWithContext(PLAIN_RULE, token, context(IP, null));
		VerificationResult replayed = service.verifyWithContext(PLAIN_RULE, token, context(IP, null));

		assertThat(replayed.outcome()).isEqualTo(VerificationOutcome.REPLAYED);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(2);
	}

	@Test
	void verifyWhenPassedThenNotCounted() {
		CaptchaVerificationService service = service();

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.counter.count("ip:" + IP)).isZero();
		assertThat(this.counter.count("account:" + ACCOUNT)).isZero();
	}

	@Test
	void verifyWhenProviderUnavailableThenNotCounted() {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.PROVIDER_UNAVAILABLE, null);

		for (int i = 0; i < 6; i++) {
			assertThat(service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT)).outcome())
				.isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		}

		assertThat(this.counter.count("ip:" + IP)).isZero();
		assertThat(this.counter.count("account:" + ACCOUNT)).isZero();
	}

	@Test
	void verifyWhenVerifierThrowsThenUnavailableAndNotCounted() {
		CaptchaVerifier throwing = (request) -> {
			throw new IllegalStateException("connection reset");
		};
		CaptchaVerificationService service = builder().provider(policy(PRIMARY, throwing, true, PRIMARY_FIELD))
			.abuseControl(new AbuseSettings(2, 4, WINDOW), this.counter)
			.build();

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(this.counter.count("ip:" + IP)).isZero();
	}

	// gh-8: 50 escalations from one client in a minute were never rate limited
	@Test
	void verifyWhenFiftyEscalationsFromOneClientThenCountedAndRateLimited() {
		CaptchaVerificationService service = service(new AbuseSettings(0, 10, WINDOW));
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);
		List<VerificationOutcome> outcomes = new ArrayList<>();

		for (int i = 0; i < 50; i++) {
			outcomes.add(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null)).outcome());
			this.clock.advance(Duration.ofSeconds(1));
		}

		assertThat(outcomes.subList(0, 10)).containsOnly(VerificationOutcome.ESCALATION_REQUIRED);
		assertThat(outcomes.subList(10, 50)).containsOnly(VerificationOutcome.RATE_LIMITED);
		assertThat(this.asked).hasSize(10);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(10);
	}

	@Test
	void verifyWhenEscalationRequiredThenCountedPerIpAndAccount() {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);

		assertThat(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, ACCOUNT)).outcome())
			.isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);

		assertThat(this.counter.count("ip:" + IP)).isEqualTo(1);
		assertThat(this.counter.count("account:" + ACCOUNT)).isEqualTo(1);
	}

	@Test
	void verifyWhenRateLimitedThenNotCountedAndWindowNotExtended() {
		CaptchaVerificationService service = service();
		fail(service, 4, context(IP, null));
		this.clock.advance(Duration.ofMinutes(10));

		for (int i = 0; i < 5; i++) {
			assertThat(service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null)).outcome())
				.isEqualTo(VerificationOutcome.RATE_LIMITED);
		}

		assertThat(this.counter.count("ip:" + IP)).isEqualTo(4);
		assertThat(this.counter.remaining("ip:" + IP)).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void verifyWhenNoAbuseControlThenNothingCountedAndNeverBlocked() {
		CaptchaVerificationService service = builder().provider(primaryPolicy()).build();
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);

		for (int i = 0; i < 10; i++) {
			service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));
		}
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);

		assertThat(service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.counter.count("ip:" + IP)).isZero();
	}

	// --- blocking

	@Test
	void verifyWhenBlockThresholdReachedThenRateLimitedWithRemainingWindowAndVerifierNotAsked() {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));
		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));
		}
		int askedBefore = this.asked.size();
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.9);

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.RATE_LIMITED);
		assertThat(result.outcome().status()).isEqualTo(429);
		assertThat(result.retryAfter()).isEqualTo(Duration.ofMinutes(12));
		assertThat(result.provider()).isEqualTo(PRIMARY);
		assertThat(result.challenge()).isEmpty();
		assertThat(this.asked).hasSize(askedBefore);
	}

	@Test
	void verifyWhenOneFailureBelowBlockThresholdThenVerifierStillAsked() {
		CaptchaVerificationService service = service();
		fail(service, 3, context(IP, null));

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.asked).hasSize(4);
	}

	@Test
	void verifyWhenBlockedThenRetryAfterShrinksWithTheClock() {
		CaptchaVerificationService service = service();
		fail(service, 4, context(IP, null));

		this.clock.advance(Duration.ofMinutes(14).plusSeconds(59));

		assertThat(service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null)).retryAfter())
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void verifyWhenBlockedThenRateLimitedEvenWithoutTokenOrWithStrongProviderToken() {
		CaptchaVerificationService service = service();
		fail(service, 4, context(IP, null));

		assertThat(service.verifyWithContext(BAND_RULE, null, context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.RATE_LIMITED);
		assertThat(service.verifyWithContext(BAND_RULE, nextToken(), hinted(IP, STRONG)).outcome())
			.isEqualTo(VerificationOutcome.RATE_LIMITED);
		assertThat(this.asked).hasSize(4).containsOnly(PRIMARY);
	}

	@Test
	void verifyWhenBlockWindowEndsThenVerifiedAgain() {
		CaptchaVerificationService service = service();
		fail(service, 4, context(IP, null));
		this.clock.advance(Duration.ofMinutes(3));
		String token = nextToken();
		assertThat(service.verifyWithContext(PLAIN_RULE, token, context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.RATE_LIMITED);

		this.clock.advance(Duration.ofMinutes(12));

		// a rate-limited token was never looked at: not even the replay cache remembers
		// it
		VerificationResult result = service.verifyWithContext(PLAIN_RULE, token, context(IP, null));
		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.retryAfter()).isNull();
	}

	@Test
	void verifyWhenOneIpBlockedThenOtherIpNotBlocked() {
		CaptchaVerificationService service = service();
		fail(service, 4, context(IP, null));

		assertThat(service.verifyWithContext(PLAIN_RULE, nextToken(), context(OTHER_IP, null)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenAccountFailedFromManyIpsThenAccountBlockedFromAnyIp() {
		CaptchaVerificationService service = service();
		for (int i = 1; i <= 4; i++) {
			fail(service, 1, context("192.0.2." + i, ACCOUNT));
		}

		VerificationResult blocked = service.verifyWithContext(PLAIN_RULE, nextToken(), context(OTHER_IP, "ALICE"));
		VerificationResult otherAccount = service.verifyWithContext(PLAIN_RULE, nextToken(), context(OTHER_IP, "bob"));
		VerificationResult noAccount = service.verifyWithContext(PLAIN_RULE, nextToken(), context(OTHER_IP, null));

		assertThat(blocked.outcome()).isEqualTo(VerificationOutcome.RATE_LIMITED);
		assertThat(blocked.retryAfter()).isEqualTo(WINDOW);
		assertThat(otherAccount.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(noAccount.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenBlockingDisabledThenNeverRateLimited() {
		CaptchaVerificationService service = service(new AbuseSettings(0, 0, WINDOW));
		fail(service, 20, context(IP, ACCOUNT));

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(20);
	}

	@Test
	void verifyWhenIpAndAccountBothBlockedThenRetryAfterCoversTheLongerBlock() {
		CaptchaVerificationService service = service();
		// the IP's window opens at START and ends at START + 15m
		fail(service, 4, context(IP, null));
		this.clock.advance(Duration.ofMinutes(10));
		// the account's window opens at START + 10m and ends at START + 25m
		for (int i = 1; i <= 4; i++) {
			fail(service, 1, context("192.0.2." + i, ACCOUNT));
		}

		VerificationResult first = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.RATE_LIMITED);
		assertThat(first.retryAfter()).isEqualTo(Duration.ofMinutes(15));
		this.clock.advance(first.retryAfter());
		assertThat(service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	// --- step-up

	@Test
	void verifyWhenStepUpThresholdReachedThenHighScoreTokenEscalated() {
		CaptchaVerificationService service = service();
		fail(service, 2, context(IP, null));
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.95);

		VerificationResult result = service.verifyWithContext(STEP_UP_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);
		assertThat(result.outcome().status()).isEqualTo(403);
		assertThat(result.provider()).isEqualTo(PRIMARY);
		assertThat(result.score()).isEqualTo(0.95);
		assertThat(result.retryAfter()).isNull();
		assertThat(result.challenge()).containsEntry("reason", "step-up")
			.containsEntry("provider", STRONG)
			.containsEntry("provider_header", "X-Captcha-Provider")
			.containsEntry("type", "grid");
	}

	@Test
	void verifyWhenStepUpAndScoreBandBothApplyThenReasonStepUp() {
		CaptchaVerificationService service = service();
		fail(service, 2, context(IP, null));
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(result.challenge()).containsEntry("reason", "step-up");
	}

	@Test
	void verifyWhenOneFailureBelowStepUpThresholdThenPassed() {
		CaptchaVerificationService service = service();
		fail(service, 1, context(IP, ACCOUNT));

		VerificationResult result = service.verifyWithContext(STEP_UP_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenAccountReachedStepUpThenEscalatedFromAnotherIp() {
		CaptchaVerificationService service = service();
		fail(service, 1, context("192.0.2.1", ACCOUNT));
		fail(service, 1, context("192.0.2.2", ACCOUNT));

		VerificationResult result = service.verifyWithContext(STEP_UP_RULE, nextToken(), context(IP, "Alice"));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);
		assertThat(result.challenge()).containsEntry("reason", "step-up");
	}

	@Test
	void verifyWhenSteppedUpThenEscalationProviderTokenPasses() {
		CaptchaVerificationService service = service();
		fail(service, 2, context(IP, null));
		assertThat(service.verifyWithContext(STEP_UP_RULE, nextToken(), context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);

		VerificationResult retry = service.verifyWithContext(STEP_UP_RULE, nextToken(), hinted(IP, STRONG));

		assertThat(retry.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(retry.provider()).isEqualTo(STRONG);
		assertThat(this.asked).endsWith(PRIMARY, STRONG);
	}

	@Test
	void verifyWhenSteppedUpAndEscalationProviderRejectsThenRejectedAndCounted() {
		CaptchaVerificationService service = service();
		fail(service, 2, context(IP, null));
		this.strongAnswer = strong(VerificationOutcome.INVALID);

		VerificationResult result = service.verifyWithContext(STEP_UP_RULE, nextToken(), hinted(IP, STRONG));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(result.provider()).isEqualTo(STRONG);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(3);
	}

	@Test
	void verifyWhenSteppedUpButRuleDoesNotEscalateThenPassed() {
		CaptchaVerificationService service = service();
		fail(service, 3, context(IP, ACCOUNT));

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, ACCOUNT));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.challenge()).isEmpty();
	}

	@Test
	void verifyWhenStepUpDisabledThenHighScorePassesDespiteFailures() {
		CaptchaVerificationService service = service(new AbuseSettings(0, 4, WINDOW));
		fail(service, 3, context(IP, null));

		VerificationResult result = service.verifyWithContext(STEP_UP_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenStepUpWindowEndedThenPassedAgain() {
		CaptchaVerificationService service = service();
		fail(service, 2, context(IP, null));

		this.clock.advance(WINDOW);

		assertThat(service.verifyWithContext(STEP_UP_RULE, nextToken(), context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	// --- score band

	@ParameterizedTest(name = "score {0} -> {1}")
	@CsvSource({ "0.8,  PASSED", "0.7,  PASSED", "0.69, ESCALATION_REQUIRED", "0.5,  ESCALATION_REQUIRED",
			"0.3,  ESCALATION_REQUIRED", "0.29, LOW_SCORE", "0.1,  LOW_SCORE" })
	void verifyWhenScoreInOrAroundBandThenOutcome(double score, VerificationOutcome expected) {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.PASSED, score);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.score()).isEqualTo(score);
		assertThat(result.challenge().isEmpty()).isEqualTo(expected != VerificationOutcome.ESCALATION_REQUIRED);
	}

	@Test
	void verifyWhenScoreInBandThenChallengeHasFactoryMembersPlusProviderReasonAndHeader() {
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);
		VerificationContext context = context(IP, ACCOUNT);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);
		assertThat(result.challenge()).containsOnly(Map.entry("type", "grid"), Map.entry("site_key", "public-site-key"),
				Map.entry("generate_url", "/captcha/generate"), Map.entry("provider", STRONG),
				Map.entry("reason", "score"), Map.entry("provider_header", "X-Captcha-Provider"));
		assertThat(this.factoryCalls).containsExactly(List.of(STRONG, ACTION, context));
	}

	@Test
	void verifyWhenFactoryNamesProviderThenKeptButReasonAndHeaderOverwritten() {
		this.factory = (provider, action, context) -> Map.of("provider", "builtin-grid", "reason", "made-up",
				"provider_header", "X-Other");
		CaptchaVerificationService service = service();
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(result.challenge()).containsOnly(Map.entry("provider", "builtin-grid"), Map.entry("reason", "score"),
				Map.entry("provider_header", "X-Captcha-Provider"));
	}

	@Test
	void verifyWhenDefaultFactoryThenChallengeNamesProviderOnly() {
		CaptchaVerificationService service = builder().provider(primaryPolicy()).provider(strongPolicy()).build();
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(result.challenge()).containsOnly(Map.entry("provider", STRONG), Map.entry("reason", "score"),
				Map.entry("provider_header", "X-Captcha-Provider"));
	}

	@Test
	void verifyWhenScorePassesThenFactoryNotAsked() {
		CaptchaVerificationService service = service();

		service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(this.factoryCalls).isEmpty();
	}

	@Test
	void verifyWhenBandButNoScoreReportedThenPassed() {
		CaptchaRule rule = new CaptchaRule(List.of(PRIMARY), ACTION, null, false, 0.7, STRONG, false);
		CaptchaVerificationService service = builder()
			.provider(policy(PRIMARY, verifier(PRIMARY, () -> this.primaryAnswer), false, PRIMARY_FIELD))
			.provider(strongPolicy())
			.build();
		this.primaryAnswer = primary(VerificationOutcome.PASSED, null);

		assertThat(service.verifyWithContext(rule, nextToken(), context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	// --- picking the escalation provider for the retry

	@Test
	void verifyWhenProviderHeaderNamesEscalationProviderThenItVerifies() {
		CaptchaVerificationService service = service();

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), hinted(IP, STRONG));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(STRONG);
		assertThat(this.asked).containsExactly(STRONG);
	}

	@Test
	void verifyWhenTokenInEscalationProviderFieldThenItVerifies() {
		CaptchaVerificationService service = service();
		VerificationContext context = new VerificationContext(IP, null, Set.of(STRONG_FIELD), null, null);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context);

		assertThat(result.provider()).isEqualTo(STRONG);
		assertThat(this.asked).containsExactly(STRONG);
	}

	@Test
	void verifyWhenHintNamesEscalationProviderButTokenInPrimaryFieldThenHintWins() {
		CaptchaVerificationService service = service();
		VerificationContext context = new VerificationContext(IP, null, Set.of(PRIMARY_FIELD), STRONG, null);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context);

		assertThat(result.provider()).isEqualTo(STRONG);
		assertThat(this.asked).containsExactly(STRONG);
	}

	@Test
	void verifyWhenRuleNamesNoProviderThenDefaultOrEscalationProviderByHint() {
		CaptchaRule rule = CaptchaRule.defaults().withEscalation(0.7, STRONG);
		CaptchaVerificationService service = service();

		assertThat(service.verifyWithContext(rule, nextToken(), context(IP, null)).provider()).isEqualTo(PRIMARY);
		assertThat(service.verifyWithContext(rule, nextToken(), hinted(IP, STRONG)).provider()).isEqualTo(STRONG);
	}

	@Test
	void verifyWhenNoHintNorFieldThenRulesOwnProvider() {
		CaptchaVerificationService service = service();

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(result.provider()).isEqualTo(PRIMARY);
	}

	@Test
	void verifyWhenHintNamesProviderRouteDoesNotAcceptThenRulesOwnProvider() {
		CaptchaVerificationService service = service();

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), hinted(IP, OTHER));

		assertThat(result.provider()).isEqualTo(PRIMARY);
		assertThat(this.asked).containsExactly(PRIMARY);
	}

	@Test
	void verifyWhenRuleDoesNotEscalateThenEscalationProviderHintIgnored() {
		CaptchaVerificationService service = service();

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), hinted(IP, STRONG));

		assertThat(result.provider()).isEqualTo(PRIMARY);
	}

	@Test
	void verifyWhenEscalationProviderIsScoredTypeWithoutScoreThenRetryPasses() {
		String v2 = "recaptcha-v2";
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.provider(policy(v2, verifier(v2,
					() -> new VerificationResult(VerificationOutcome.PASSED, v2, null, null, null, null, List.of())),
					true, PRIMARY_FIELD))
			.build();
		// a v2 checkbox answer carries no action: the route expects none
		CaptchaRule rule = new CaptchaRule(List.of(PRIMARY), null, 0.3, false, 0.7, v2, false);
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);
		assertThat(service.verifyWithContext(rule, nextToken(), context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);

		VerificationResult retry = service.verifyWithContext(rule, nextToken(), hinted(IP, v2));

		assertThat(retry.provider()).isEqualTo(v2);
		assertThat(retry.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenEscalationProviderAnswersWithoutTheRouteActionThenActionMismatch() {
		// the escalation provider's tokens are accepted on the route on their own: one
		// solved without the route's action (on a harmless page) must not unlock it
		String v2 = "recaptcha-v2";
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.provider(policy(v2, verifier(v2,
					() -> new VerificationResult(VerificationOutcome.PASSED, v2, null, null, null, null, List.of())),
					true, PRIMARY_FIELD))
			.build();
		CaptchaRule rule = new CaptchaRule(List.of(PRIMARY), ACTION, 0.3, false, 0.7, v2, false);

		VerificationResult retry = service.verifyWithContext(rule, nextToken(), hinted(IP, v2));

		assertThat(retry.provider()).isEqualTo(v2);
		assertThat(retry.outcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenEscalationProviderTokenThenNeverEscalatedAgain() {
		CaptchaVerificationService service = service();
		fail(service, 3, context(IP, null));
		List<String> consulted = new CopyOnWriteArrayList<>();
		CaptchaVerificationService withCustomizer = builder().provider(primaryPolicy())
			.provider(strongPolicy())
			.escalationChallenges(this.factory)
			.abuseControl(new AbuseSettings(2, 4, WINDOW), this.counter)
			.decisionCustomizer((rule, result, context) -> consulted.add(result.provider()))
			.build();

		VerificationResult stepped = service.verifyWithContext(BAND_RULE, nextToken(), hinted(IP, STRONG));
		VerificationResult customized = withCustomizer.verifyWithContext(BAND_RULE, nextToken(), hinted(IP, STRONG));

		assertThat(stepped.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(customized.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(consulted).isEmpty();
	}

	// --- decision customizers

	@Test
	void verifyWhenCustomizerRequiresEscalationThenReasonPolicy() {
		List<Object[]> calls = new CopyOnWriteArrayList<>();
		CaptchaVerificationService service = customized((rule, result, context) -> {
			calls.add(new Object[] { rule, result, context });
			return true;
		});
		VerificationContext context = context(IP, ACCOUNT);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);
		assertThat(result.challenge()).containsEntry("reason", "policy").containsEntry("provider", STRONG);
		assertThat(calls).hasSize(1);
		assertThat(calls.get(0)[0]).isEqualTo(BAND_RULE);
		VerificationResult seen = (VerificationResult) calls.get(0)[1];
		assertThat(seen.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(seen.score()).isEqualTo(0.9);
		assertThat(seen.provider()).isEqualTo(PRIMARY);
		assertThat(calls.get(0)[2]).isSameAs(context);
	}

	@Test
	void verifyWhenCustomizerDeclinesThenPassed() {
		AtomicInteger calls = new AtomicInteger();
		CaptchaVerificationService service = customized((rule, result, context) -> {
			calls.incrementAndGet();
			return false;
		});

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(calls).hasValue(1);
	}

	@Test
	void verifyWhenSeveralCustomizersAndOneRequiresEscalationThenPolicy() {
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.provider(strongPolicy())
			.decisionCustomizer((rule, result, context) -> false)
			.decisionCustomizer((rule, result, context) -> "bob".equals(context.account()))
			.build();

		assertThat(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, "bob")).challenge())
			.containsEntry("reason", "policy");
		assertThat(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, ACCOUNT)).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@ParameterizedTest
	@EnumSource(names = { "INVALID", "EXPIRED", "ACTION_MISMATCH", "PROVIDER_UNAVAILABLE" })
	void verifyWhenTokenRejectedThenCustomizerNotConsulted(VerificationOutcome outcome) {
		AtomicInteger calls = new AtomicInteger();
		CaptchaVerificationService service = customized((rule, result, context) -> calls.incrementAndGet() > 0);
		this.primaryAnswer = primary(outcome, null);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(outcome);
		assertThat(calls).hasValue(0);
	}

	@Test
	void verifyWhenLowScoreOrMissingOrBlockedThenCustomizerNotConsulted() {
		AtomicInteger calls = new AtomicInteger();
		CaptchaVerificationService service = customized((rule, result, context) -> calls.incrementAndGet() > 0);
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.1);

		assertThat(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.LOW_SCORE);
		assertThat(service.verifyWithContext(BAND_RULE, null, context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.MISSING);
		fail(service, 2, context(IP, null));
		assertThat(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null)).outcome())
			.isEqualTo(VerificationOutcome.RATE_LIMITED);

		assertThat(calls).hasValue(0);
	}

	@Test
	void verifyWhenEscalationProviderTokenThenCustomizerNotConsulted() {
		AtomicInteger calls = new AtomicInteger();
		CaptchaVerificationService service = customized((rule, result, context) -> calls.incrementAndGet() > 0);

		VerificationResult result = service.verifyWithContext(BAND_RULE, nextToken(), hinted(IP, STRONG));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(calls).hasValue(0);
	}

	@Test
	void verifyWhenRuleDoesNotEscalateThenCustomizerNotConsulted() {
		AtomicInteger calls = new AtomicInteger();
		CaptchaVerificationService service = customized((rule, result, context) -> calls.incrementAndGet() > 0);

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(calls).hasValue(0);
	}

	// --- listeners

	@Test
	void verifyWhenListenersThenEachDecisionReportedExactlyOnce() {
		List<VerificationResult> heard = new CopyOnWriteArrayList<>();
		List<VerificationResult> returned = new ArrayList<>();
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.provider(strongPolicy())
			.abuseControl(new AbuseSettings(2, 4, WINDOW), this.counter)
			.listener((rule, result, context) -> heard.add(result))
			.build();

		returned.add(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null)));
		this.primaryAnswer = primary(VerificationOutcome.PASSED, 0.5);
		returned.add(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null)));
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		// the escalation counts as a failure: three more reach the threshold of 4
		for (int i = 0; i < 3; i++) {
			returned.add(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null)));
		}
		returned.add(service.verifyWithContext(BAND_RULE, nextToken(), context(IP, null)));

		assertThat(heard).extracting(VerificationResult::outcome)
			.containsExactly(VerificationOutcome.PASSED, VerificationOutcome.ESCALATION_REQUIRED,
					VerificationOutcome.INVALID, VerificationOutcome.INVALID, VerificationOutcome.INVALID,
					VerificationOutcome.RATE_LIMITED);
		for (int i = 0; i < returned.size(); i++) {
			assertThat(heard.get(i)).isSameAs(returned.get(i));
		}
	}

	@Test
	void verifyWhenListenerThenGivenRuleResultAndContext() {
		List<Object[]> heard = new CopyOnWriteArrayList<>();
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.listener((rule, result, context) -> heard.add(new Object[] { rule, result, context }))
			.build();
		VerificationContext context = context(IP, ACCOUNT);

		VerificationResult result = service.verifyWithContext(PLAIN_RULE, nextToken(), context);

		assertThat(heard).hasSize(1);
		assertThat(heard.get(0)[0]).isEqualTo(PLAIN_RULE);
		assertThat(heard.get(0)[1]).isSameAs(result);
		assertThat(heard.get(0)[2]).isSameAs(context);
	}

	@Test
	void verifyWhenFailOpenPassThenListenerTold() {
		List<VerificationResult> heard = new CopyOnWriteArrayList<>();
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.listener((rule, result, context) -> heard.add(result))
			.build();
		this.primaryAnswer = primary(VerificationOutcome.PROVIDER_UNAVAILABLE, null);

		service.verifyWithContext(PLAIN_RULE.withFailOpen(true), nextToken(), context(IP, null));

		assertThat(heard).hasSize(1);
		assertThat(heard.get(0).outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(heard.get(0).errorCodes()).containsExactly(CaptchaVerificationService.FAIL_OPEN);
	}

	@Test
	void verifyWhenListenerThrowsThenVerificationUnaffectedAndOtherListenersCalled() {
		List<VerificationOutcome> heard = new CopyOnWriteArrayList<>();
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.abuseControl(new AbuseSettings(2, 4, WINDOW), this.counter)
			.listener((rule, result, context) -> {
				throw new IllegalStateException("listener broke");
			})
			.listener((rule, result, context) -> heard.add(result.outcome()))
			.build();

		VerificationResult passed = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		VerificationResult rejected = service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));

		assertThat(passed.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(rejected.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(heard).containsExactly(VerificationOutcome.PASSED, VerificationOutcome.INVALID);
		assertThat(this.counter.count("ip:" + IP)).isEqualTo(1);
	}

	@Test
	void verifyWhenListenerToldThenFailureAlreadyCounted() {
		List<Long> counts = new CopyOnWriteArrayList<>();
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.abuseControl(new AbuseSettings(2, 4, WINDOW), this.counter)
			.listener((rule, result, context) -> counts.add(this.counter.count("ip:" + IP)))
			.build();
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);

		service.verifyWithContext(PLAIN_RULE, nextToken(), context(IP, null));

		assertThat(counts).containsExactly(1L);
	}

	// --- no token in results

	@Test
	void verifyWhenAnyDecisionThenResultNeverContainsTheToken() {
		List<VerificationResult> heard = new CopyOnWriteArrayList<>();
		CaptchaVerificationService service = builder().provider(primaryPolicy())
			.provider(strongPolicy())
			.escalationChallenges((provider, action, context) -> Map.of("type", "grid"))
			.abuseControl(new AbuseSettings(2, 4, WINDOW), this.counter)
			.listener((rule, result, context) -> heard.add(result))
			.build();
		// the escalation counts as a failure: the fourth failure is the second INVALID
		List<VerificationResult> answers = List.of(primary(VerificationOutcome.PASSED, 0.9),
				primary(VerificationOutcome.PASSED, 0.5), primary(VerificationOutcome.PASSED, 0.1),
				primary(VerificationOutcome.INVALID, null), primary(VerificationOutcome.INVALID, null),
				primary(VerificationOutcome.PASSED, 0.9));
		List<String> tokens = new ArrayList<>();
		List<VerificationResult> results = new ArrayList<>();

		for (VerificationResult answer : answers) {
			this.primaryAnswer = answer;
			String token = "secret-token-" + this.tokenNumber.incrementAndGet() + "-Qp3Lm8";
			tokens.add(token);
			results.add(service.verifyWithContext(BAND_RULE, token, context(IP, null)));
		}

		assertThat(results).extracting(VerificationResult::outcome)
			.containsExactly(VerificationOutcome.PASSED, VerificationOutcome.ESCALATION_REQUIRED,
					VerificationOutcome.LOW_SCORE, VerificationOutcome.INVALID, VerificationOutcome.INVALID,
					VerificationOutcome.RATE_LIMITED);
		assertThat(heard).hasSize(results.size());
		for (String token : tokens) {
			assertThat(results).allSatisfy((result) -> assertThat(result.toString()).doesNotContain(token));
			assertThat(heard).allSatisfy((result) -> assertThat(result.toString()).doesNotContain(token));
		}
	}

	// --- helpers

	/**
	 * Fail the given number of times with a primary-provider INVALID, keeping the current
	 * answer.
	 */
	private void fail(CaptchaVerificationService service, int times, VerificationContext context) {
		VerificationResult previous = this.primaryAnswer;
		this.primaryAnswer = primary(VerificationOutcome.INVALID, null);
		for (int i = 0; i < times; i++) {
			assertThat(service.verifyWithContext(PLAIN_RULE, nextToken(), context).outcome())
				.isEqualTo(VerificationOutcome.INVALID);
		}
		this.primaryAnswer = previous;
	}

	private CaptchaVerificationService service() {
		return service(new AbuseSettings(2, 4, WINDOW));
	}

	private CaptchaVerificationService service(AbuseSettings settings) {
		return builder().provider(primaryPolicy())
			.provider(strongPolicy())
			.provider(policy(OTHER, verifier(OTHER, () -> VerificationResult.of(VerificationOutcome.PASSED, OTHER)),
					false, "h-captcha-response"))
			.escalationChallenges(this.factory)
			.abuseControl(settings, this.counter)
			.build();
	}

	private CaptchaVerificationService customized(CaptchaDecisionCustomizer customizer) {
		return builder().provider(primaryPolicy())
			.provider(strongPolicy())
			.escalationChallenges(this.factory)
			.abuseControl(new AbuseSettings(2, 4, WINDOW), this.counter)
			.decisionCustomizer(customizer)
			.build();
	}

	private CaptchaVerificationService.Builder builder() {
		return CaptchaVerificationService.builder().replayCache(new CaffeineReplayCache(1000)).clock(this.clock);
	}

	private ProviderPolicy primaryPolicy() {
		return policy(PRIMARY, verifier(PRIMARY, () -> this.primaryAnswer), true, PRIMARY_FIELD);
	}

	private ProviderPolicy strongPolicy() {
		return policy(STRONG, verifier(STRONG, () -> this.strongAnswer), false, STRONG_FIELD);
	}

	private CaptchaVerifier verifier(String name, Supplier<VerificationResult> answer) {
		return (request) -> {
			this.asked.add(name);
			return answer.get();
		};
	}

	private static ProviderPolicy policy(String name, CaptchaVerifier verifier, boolean scored, String field) {
		return new ProviderPolicy(name, verifier, Set.of(), null, Duration.ofMinutes(2), Duration.ofMinutes(2), 200,
				scored, field);
	}

	private static VerificationResult primary(VerificationOutcome outcome, Double score) {
		return new VerificationResult(outcome, PRIMARY, score, (outcome == VerificationOutcome.PASSED) ? ACTION : null,
				null, null, List.of());
	}

	private static VerificationResult strong(VerificationOutcome outcome) {
		return new VerificationResult(outcome, STRONG, null, (outcome == VerificationOutcome.PASSED) ? ACTION : null,
				null, null, List.of());
	}

	private static VerificationContext context(String ip, String account) {
		return new VerificationContext(ip, "Mozilla/5.0", Set.of(), null, account);
	}

	private static VerificationContext hinted(String ip, String provider) {
		return new VerificationContext(ip, "Mozilla/5.0", Set.of("X-Captcha-Token"), provider, null);
	}

	private String nextToken() {
		return "tok-" + this.tokenNumber.incrementAndGet() + "-Zq7fWx9";
	}

}
