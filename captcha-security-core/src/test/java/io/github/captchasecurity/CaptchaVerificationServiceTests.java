package io.github.captchasecurity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CaptchaVerificationService}: the order of the checks and what each one
 * decides.
 */
class CaptchaVerificationServiceTests {

	private static final String PROVIDER = "recaptcha";

	private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

	private static final Duration MAX_TOKEN_AGE = Duration.ofMinutes(2);

	private static final int MAX_TOKEN_LENGTH = 40;

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final AtomicInteger tokenNumber = new AtomicInteger();

	/** Requests the stub verifier received, in order; its size is the number of calls. */
	private final List<VerificationRequest> received = new CopyOnWriteArrayList<>();

	/** What the stub verifier answers next. */
	private VerificationResult answer;

	private CaptchaVerifier verifier;

	@BeforeEach
	void setUp() {
		this.answer = passedAnswer();
		this.verifier = (request) -> {
			this.received.add(request);
			return this.answer;
		};
	}

	// --- token presence and form ---

	@Test
	void verifyWhenTokenNullThenMissingAndVerifierNotCalled() {
		CaptchaVerificationService service = service(policy());

		VerificationResult result = service.verify(CaptchaRule.defaults(), null, "192.0.2.1");

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.MISSING);
		assertThat(result.provider()).isEqualTo(PROVIDER);
		assertThat(this.received).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "   ", "\t", "\n" })
	void verifyWhenTokenBlankThenMissingAndVerifierNotCalled(String token) {
		CaptchaVerificationService service = service(policy());

		VerificationResult result = service.verify(CaptchaRule.defaults(), token, null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.MISSING);
		assertThat(this.received).isEmpty();
	}

	@Test
	void verifyWhenTokenLongerThanMaxLengthThenMalformedAndVerifierNotCalled() {
		CaptchaVerificationService service = service(policy());

		VerificationResult result = service.verify(CaptchaRule.defaults(), "a".repeat(MAX_TOKEN_LENGTH + 1), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(this.received).isEmpty();
	}

	@Test
	void verifyWhenTokenExactlyMaxLengthThenVerifierCalled() {
		CaptchaVerificationService service = service(policy());

		VerificationResult result = service.verify(CaptchaRule.defaults(), "a".repeat(MAX_TOKEN_LENGTH), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.received).hasSize(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "tok en", "token ", "tok\u00e9n", "tok\u20acn", "tok\"en", "tok\\en", "tok<en", "tok>en",
			"tok\ten", "tok\u007fen", "tok\u0000en" })
	void verifyWhenTokenHasForbiddenCharacterThenMalformedAndVerifierNotCalled(String token) {
		CaptchaVerificationService service = service(policy());

		VerificationResult result = service.verify(CaptchaRule.defaults(), token, null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(this.received).isEmpty();
	}

	@Test
	void verifyWhenTokenUsesProviderAlphabetThenVerifierCalled() {
		CaptchaVerificationService service = service(policy());

		VerificationResult result = service.verify(CaptchaRule.defaults(), "03AGdB-q2_5Sx.XT+pm/Se=B:Xj", null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.received).hasSize(1);
	}

	// --- replay ---

	@Test
	void verifyWhenSameTokenUsedTwiceThenReplayedAndVerifierCalledOnce() {
		CaptchaVerificationService service = service(policy());
		String token = nextToken();

		VerificationResult first = service.verify(CaptchaRule.defaults(), token, null);
		VerificationResult second = service.verify(CaptchaRule.defaults(), token, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(second.outcome()).isEqualTo(VerificationOutcome.REPLAYED);
		assertThat(second.provider()).isEqualTo(PROVIDER);
		assertThat(this.received).hasSize(1);
	}

	// gh-8: a rejected token was not spent; keeping its entry would let junk tokens fill
	// the cache
	@Test
	void verifyWhenProviderRejectsTokenThenEntryReleasedAndProviderJudgesItAgain() {
		RecordingReplayCache cache = new RecordingReplayCache();
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(policy())
			.replayCache(cache)
			.clock(this.clock)
			.build();
		String token = nextToken();
		this.answer = providerAnswer(VerificationOutcome.INVALID);

		VerificationResult first = service.verify(CaptchaRule.defaults(), token, null);
		VerificationResult second = service.verify(CaptchaRule.defaults(), token, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(second.outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(cache.forgotten).containsExactly(TokenDigest.sha256Hex(token), TokenDigest.sha256Hex(token));
		assertThat(this.received).hasSize(2);
	}

	@Test
	void verifyWhenProviderPassedTokenButLaterCheckFailedThenEntryKeptAndReplayAnsweredLocally() {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of("example.com"), null));
		String token = nextToken();
		this.answer = answer(null, null, "evil.example", null);

		VerificationResult first = service.verify(CaptchaRule.defaults(), token, null);
		VerificationResult second = service.verify(CaptchaRule.defaults(), token, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
		assertThat(second.outcome()).isEqualTo(VerificationOutcome.REPLAYED);
		assertThat(this.received).hasSize(1);
	}

	@Test
	void verifyWhenProviderUnavailableThenTokenReleasedAndRetryReachesProvider() {
		CaptchaVerificationService service = service(policy());
		String token = nextToken();
		this.answer = providerAnswer(VerificationOutcome.PROVIDER_UNAVAILABLE);

		VerificationResult first = service.verify(CaptchaRule.defaults(), token, null);
		this.answer = passedAnswer();
		VerificationResult retry = service.verify(CaptchaRule.defaults(), token, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(retry.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.received).hasSize(2);
	}

	@Test
	void verifyWhenVerifierThrowsThenProviderUnavailableAndTokenReleased() {
		AtomicInteger calls = new AtomicInteger();
		CaptchaVerifier failing = (request) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("boom");
			}
			return passedAnswer();
		};
		CaptchaVerificationService service = service(policy(failing, Set.of(), null));
		String token = nextToken();

		VerificationResult first = service.verify(CaptchaRule.defaults(), token, null);
		VerificationResult retry = service.verify(CaptchaRule.defaults(), token, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(first.provider()).isEqualTo(PROVIDER);
		assertThat(retry.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(calls).hasValue(2);
	}

	@Test
	void verifyWhenVerifierReturnsNullThenProviderUnavailable() {
		CaptchaVerificationService service = service(policy((request) -> null, Set.of(), null));

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
	}

	@Test
	void verifyWhenTokenAcceptedThenReplayCacheGetsDigestAndLongestLifetimePlusSkew() {
		RecordingReplayCache cache = new RecordingReplayCache();
		ProviderPolicy policy = new ProviderPolicy(PROVIDER, this.verifier, Set.of(), null, Duration.ofMinutes(5),
				Duration.ofMinutes(2), MAX_TOKEN_LENGTH);
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(policy)
			.replayCache(cache)
			.clock(this.clock)
			.build();
		String token = nextToken();

		service.verify(CaptchaRule.defaults(), token, null);

		assertThat(cache.marked).containsExactly(TokenDigest.sha256Hex(token));
		assertThat(cache.marked.get(0)).isNotEqualTo(token).hasSize(64);
		assertThat(cache.ttls).containsExactly(Duration.ofMinutes(5).plusSeconds(5));
		assertThat(cache.forgotten).isEmpty();
	}

	@Test
	void verifyWhenTokenMissingOrMalformedThenReplayCacheNotTouched() {
		RecordingReplayCache cache = new RecordingReplayCache();
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(policy())
			.replayCache(cache)
			.build();

		service.verify(CaptchaRule.defaults(), null, null);
		service.verify(CaptchaRule.defaults(), "bad token", null);

		assertThat(cache.marked).isEmpty();
	}

	// --- provider verdict ---

	@ParameterizedTest
	@EnumSource(value = VerificationOutcome.class, names = { "INVALID", "EXPIRED" })
	void verifyWhenProviderRejectsThenOutcomePassedThroughWithErrorCodes(VerificationOutcome providerOutcome) {
		// the allow-list would fail too: the provider's own verdict must be what is
		// reported
		CaptchaVerificationService service = service(policy(this.verifier, Set.of("example.com"), null));
		this.answer = new VerificationResult(providerOutcome, PROVIDER, null, null, null, null,
				List.of("invalid-input-response"));

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(providerOutcome);
		assertThat(result.errorCodes()).containsExactly("invalid-input-response");
		assertThat(result.passed()).isFalse();
	}

	@Test
	void verifyWhenProviderPassesThenResultCarriesProviderFacts() {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of("example.com"), 0.5));
		Instant challenged = NOW.minusSeconds(30);
		this.answer = new VerificationResult(VerificationOutcome.PASSED, "whatever-the-verifier-says", 0.9, "contact",
				"example.com", challenged, List.of("note"));

		VerificationResult result = service.verify(new CaptchaRule(null, "contact", null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(PROVIDER);
		assertThat(result.score()).isEqualTo(0.9);
		assertThat(result.action()).isEqualTo("contact");
		assertThat(result.hostname()).isEqualTo("example.com");
		assertThat(result.challengeTimestamp()).isEqualTo(challenged);
		assertThat(result.errorCodes()).containsExactly("note");
	}

	// --- hostname ---

	@ParameterizedTest(name = "allowed {0}, solved on {1} -> {2}")
	@CsvSource({ "example.com,   example.com,            PASSED", "example.com,   EXAMPLE.COM,            PASSED",
			"Example.COM,   example.com,            PASSED", "example.com,   other.com,              HOSTNAME_MISMATCH",
			"example.com,   a.example.com,          HOSTNAME_MISMATCH",
			"example.com,   example.com.evil.org,   HOSTNAME_MISMATCH", "*.example.com, a.example.com,          PASSED",
			"*.example.com, A.Example.COM,          PASSED", "*.example.com, example.com,            HOSTNAME_MISMATCH",
			"*.example.com, badexample.com,         HOSTNAME_MISMATCH",
			"*.example.com, .example.com,           HOSTNAME_MISMATCH",
			"*.example.com, a.example.com.evil.org, HOSTNAME_MISMATCH" })
	void verifyWhenHostnameAllowListSetThenHostnameChecked(String allowed, String hostname,
			VerificationOutcome expected) {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of(allowed), null));
		this.answer = answer(null, null, hostname, null);

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.hostname()).isEqualTo(hostname);
	}

	@Test
	void verifyWhenSeveralHostnamesAllowedThenAnyMatches() {
		CaptchaVerificationService service = service(
				policy(this.verifier, Set.of("example.com", "*.example.org", "localhost"), null));

		this.answer = answer(null, null, "localhost", null);
		VerificationResult local = service.verify(CaptchaRule.defaults(), nextToken(), null);
		this.answer = answer(null, null, "www.example.org", null);
		VerificationResult wildcard = service.verify(CaptchaRule.defaults(), nextToken(), null);
		this.answer = answer(null, null, "example.net", null);
		VerificationResult other = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(local.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(wildcard.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(other.outcome()).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
	}

	@ParameterizedTest
	@ValueSource(strings = { "" })
	@NullSource
	void verifyWhenHostnameMissingAndAllowListSetThenHostnameMismatch(String hostname) {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of("example.com"), null));
		this.answer = answer(null, null, hostname, null);

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
	}

	@ParameterizedTest
	@ValueSource(strings = { "anything.evil.org", "" })
	@NullSource
	void verifyWhenAllowListEmptyThenHostnameNotChecked(String hostname) {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, hostname, null);

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// --- action ---

	@Test
	void verifyWhenActionEqualIgnoringCaseThenPassed() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, "CONTACT", null, null);

		VerificationResult result = service.verify(new CaptchaRule(null, "contact", null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenActionDiffersThenActionMismatch() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, "login", null, null);

		VerificationResult result = service.verify(new CaptchaRule(null, "contact", null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
		assertThat(result.action()).isEqualTo("login");
	}

	@Test
	void verifyWhenActionMissingAndNoMinScoreThenActionMismatch() {
		// a token solved without an action (on a harmless page) must not unlock a route
		// that expects one, scored or not
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, null, null);

		VerificationResult result = service.verify(new CaptchaRule(null, "contact", null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenActionMissingAndRuleRequiresScoreThenActionMismatch() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(0.9, null, null, null);

		VerificationResult result = service.verify(new CaptchaRule(null, "contact", 0.5), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenActionMissingAndProviderRequiresScoreThenActionMismatch() {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of(), 0.5));
		this.answer = answer(0.9, null, null, null);

		VerificationResult result = service.verify(new CaptchaRule(null, "contact", null), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenRuleExpectsNoActionThenAnyActionPasses() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, "login", null, null);

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// --- score ---

	@ParameterizedTest(name = "provider min {0}, rule min {1}, score {2} -> {3}")
	@CsvSource({ "0.5, 0.7, 0.6, LOW_SCORE", "0.7, 0.3, 0.5, PASSED", "0.5,    , 0.4, LOW_SCORE",
			"0.5,    , 0.5, PASSED", "   , 0.5, 0.5, PASSED", "   , 0.5, 0.49, LOW_SCORE", "   , 0.0, 0.0, PASSED",
			"   ,    , 0.0, PASSED", "   , 1.0, 1.0, PASSED" })
	void verifyWhenScoreComparedThenRuleMinimumOverridesProviderMinimum(Double providerMin, Double ruleMin,
			Double score, VerificationOutcome expected) {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of(), providerMin));
		this.answer = answer(score, null, null, null);

		VerificationResult result = service.verify(new CaptchaRule(null, null, ruleMin), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(expected);
		assertThat(result.score()).isEqualTo(score);
	}

	@Test
	void verifyWhenScoreMissingAndMinimumRequiredThenLowScore() {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of(), 0.5));
		this.answer = answer(null, null, null, null);

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.LOW_SCORE);
	}

	@Test
	void verifyWhenScoreMissingAndNoMinimumThenPassed() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, null, null);

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// --- challenge age ---

	@Test
	void verifyWhenChallengeOlderThanMaxAgePlusSkewThenExpired() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, null, NOW.minus(MAX_TOKEN_AGE).minusSeconds(5).minusMillis(1));

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	@Test
	void verifyWhenChallengeExactlyMaxAgePlusSkewThenPassed() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, null, NOW.minus(MAX_TOKEN_AGE).minusSeconds(5));

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenChallengeOlderThanMaxAgeButWithinSkewThenPassed() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, null, NOW.minus(MAX_TOKEN_AGE).minusSeconds(3));

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenChallengeFreshThenPassed() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, null, NOW.minusSeconds(10));

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenChallengeTimestampMissingThenPassed() {
		CaptchaVerificationService service = service(policy());
		this.answer = answer(null, null, null, null);

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenClockMovesOnThenSameChallengeAgeJudgedAgainstClock() {
		MutableClock mutableClock = new MutableClock(NOW);
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(policy())
			.replayCache(new CaffeineReplayCache(100))
			.clock(mutableClock)
			.build();
		this.answer = answer(null, null, null, NOW);

		VerificationResult fresh = service.verify(CaptchaRule.defaults(), nextToken(), null);
		mutableClock.advance(MAX_TOKEN_AGE.plusSeconds(6));
		VerificationResult stale = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(fresh.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(stale.outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	// --- order of the checks ---

	@Test
	void verifyWhenSeveralChecksFailThenHostnameBeforeActionBeforeScoreBeforeAge() {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of("example.com"), 0.5));
		CaptchaRule rule = new CaptchaRule(null, "contact", null);
		Instant stale = NOW.minus(Duration.ofHours(1));

		this.answer = answer(0.1, "login", "evil.org", stale);
		VerificationOutcome allFail = service.verify(rule, nextToken(), null).outcome();
		this.answer = answer(0.1, "login", "example.com", stale);
		VerificationOutcome hostnameFixed = service.verify(rule, nextToken(), null).outcome();
		this.answer = answer(0.1, "contact", "example.com", stale);
		VerificationOutcome actionFixed = service.verify(rule, nextToken(), null).outcome();
		this.answer = answer(0.9, "contact", "example.com", stale);
		VerificationOutcome scoreFixed = service.verify(rule, nextToken(), null).outcome();
		this.answer = answer(0.9, "contact", "example.com", NOW.minusSeconds(5));
		VerificationOutcome allFixed = service.verify(rule, nextToken(), null).outcome();

		assertThat(List.of(allFail, hostnameFixed, actionFixed, scoreFixed, allFixed)).containsExactly(
				VerificationOutcome.HOSTNAME_MISMATCH, VerificationOutcome.ACTION_MISMATCH,
				VerificationOutcome.LOW_SCORE, VerificationOutcome.EXPIRED, VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenTokenBothMalformedAndReplayedThenMalformed() {
		CaptchaVerificationService service = service(policy());
		String tooLong = "a".repeat(MAX_TOKEN_LENGTH + 1);

		VerificationResult first = service.verify(CaptchaRule.defaults(), tooLong, null);
		VerificationResult second = service.verify(CaptchaRule.defaults(), tooLong, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
		assertThat(second.outcome()).isEqualTo(VerificationOutcome.MALFORMED);
	}

	// --- request handed to the verifier ---

	@Test
	void verifyWhenCalledThenRequestCarriesClientIpRuleActionAndRuleMinScore() {
		ProviderPolicy policy = new ProviderPolicy(PROVIDER, this.verifier, Set.of("example.com"), 0.3,
				Duration.ofSeconds(90), Duration.ofMinutes(2), MAX_TOKEN_LENGTH);
		CaptchaVerificationService service = service(policy);
		this.answer = answer(0.9, "contact", "example.com", null);
		String token = nextToken();

		service.verify(new CaptchaRule(null, "contact", 0.7), token, "198.51.100.4");

		assertThat(this.received).hasSize(1);
		VerificationRequest request = this.received.get(0);
		assertThat(request.token()).isEqualTo(token);
		assertThat(request.clientIp()).isEqualTo("198.51.100.4");
		assertThat(request.expectedAction()).isEqualTo("contact");
		assertThat(request.minScore()).isEqualTo(0.7);
		assertThat(request.scoreRequired()).isTrue();
		assertThat(request.expectedHostnames()).containsExactly("example.com");
		assertThat(request.maxTokenAge()).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void verifyWhenRuleHasNoMinScoreThenRequestCarriesProviderMinScore() {
		CaptchaVerificationService service = service(policy(this.verifier, Set.of(), 0.3));
		this.answer = answer(0.9, null, null, null);

		service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(this.received).singleElement().satisfies((request) -> {
			assertThat(request.minScore()).isEqualTo(0.3);
			assertThat(request.clientIp()).isNull();
			assertThat(request.expectedAction()).isNull();
		});
	}

	@Test
	void verifyWhenNoMinScoreAnywhereThenRequestHasNoScoreRequirement() {
		CaptchaVerificationService service = service(policy());

		service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(this.received).singleElement().satisfies((request) -> {
			assertThat(request.minScore()).isNull();
			assertThat(request.scoreRequired()).isFalse();
		});
	}

	@Test
	void verifyWhenRequestPrintedThenTokenNotShown() {
		CaptchaVerificationService service = service(policy());
		String token = nextToken();

		service.verify(CaptchaRule.defaults(), token, null);

		assertThat(this.received.get(0).toString()).doesNotContain(token).contains(TokenDigest.shortHash(token));
	}

	// --- providers and builder ---

	@Test
	void verifyWhenRuleNamesUnknownProviderThenIllegalStateException() {
		CaptchaVerificationService service = service(policy());

		assertThatIllegalStateException()
			.isThrownBy(() -> service.verify(new CaptchaRule("hcaptcha", null, null), nextToken(), null))
			.withMessageContaining("hcaptcha");
		assertThat(this.received).isEmpty();
	}

	@Test
	void verifyWhenNoProviderConfiguredThenIllegalStateException() {
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(10))
			.build();

		assertThatIllegalStateException().isThrownBy(() -> service.verify(CaptchaRule.defaults(), nextToken(), null));
	}

	@Test
	void verifyWhenRuleNamesProviderThenThatProviderAsked() {
		List<String> asked = new ArrayList<>();
		ProviderPolicy first = namedPolicy("first", asked);
		ProviderPolicy second = namedPolicy("second", asked);
		CaptchaVerificationService service = service(first, second);

		VerificationResult byDefault = service.verify(CaptchaRule.defaults(), nextToken(), null);
		VerificationResult named = service.verify(new CaptchaRule("second", null, null), nextToken(), null);

		assertThat(asked).containsExactly("first", "second");
		assertThat(byDefault.provider()).isEqualTo("first");
		assertThat(named.provider()).isEqualTo("second");
		assertThat(service.defaultProvider()).isEqualTo("first");
		assertThat(service.providerNames()).containsExactlyInAnyOrder("first", "second");
	}

	@Test
	void verifyWhenDefaultProviderSetThenRulesWithoutProviderUseIt() {
		List<String> asked = new ArrayList<>();
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.provider(namedPolicy("first", asked))
			.provider(namedPolicy("second", asked))
			.defaultProvider("second")
			.replayCache(new CaffeineReplayCache(10))
			.build();

		VerificationResult result = service.verify(CaptchaRule.defaults(), nextToken(), null);

		assertThat(asked).containsExactly("second");
		assertThat(result.provider()).isEqualTo("second");
	}

	@Test
	void builderWhenDuplicateProviderNameThenIllegalStateException() {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder().provider(policy());
		ProviderPolicy duplicate = policy((request) -> passedAnswer(), Set.of(), 0.5);

		assertThatIllegalStateException().isThrownBy(() -> builder.provider(duplicate)).withMessageContaining(PROVIDER);
	}

	@Test
	void builderWhenDefaultProviderUnknownThenIllegalStateException() {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder()
			.provider(policy())
			.defaultProvider("turnstile")
			.replayCache(new CaffeineReplayCache(10));

		assertThatIllegalStateException().isThrownBy(builder::build).withMessageContaining("turnstile");
	}

	@Test
	void builderWhenNoReplayCacheThenIllegalStateException() {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder().provider(policy());

		assertThatIllegalStateException().isThrownBy(builder::build);
	}

	@Test
	void verifyWhenRuleNullThenNullPointerException() {
		CaptchaVerificationService service = service(policy());

		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> service.verify(null, "t", null));
	}

	// --- helpers ---

	private CaptchaVerificationService service(ProviderPolicy... policies) {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(1000))
			.clock(this.clock);
		for (ProviderPolicy policy : policies) {
			builder.provider(policy);
		}
		return builder.build();
	}

	private ProviderPolicy policy() {
		return policy(this.verifier, Set.of(), null);
	}

	private static ProviderPolicy policy(CaptchaVerifier verifier, Set<String> hostnames, Double minScore) {
		return new ProviderPolicy(PROVIDER, verifier, hostnames, minScore, MAX_TOKEN_AGE, Duration.ofMinutes(2),
				MAX_TOKEN_LENGTH);
	}

	private static ProviderPolicy namedPolicy(String name, List<String> asked) {
		CaptchaVerifier verifier = (request) -> {
			asked.add(name);
			return new VerificationResult(VerificationOutcome.PASSED, name, null, null, null, null, List.of());
		};
		return new ProviderPolicy(name, verifier, Set.of(), null, MAX_TOKEN_AGE, Duration.ofMinutes(2),
				MAX_TOKEN_LENGTH);
	}

	private String nextToken() {
		return "token-" + this.tokenNumber.incrementAndGet();
	}

	private static VerificationResult passedAnswer() {
		return answer(null, null, null, null);
	}

	private static VerificationResult providerAnswer(VerificationOutcome outcome) {
		return VerificationResult.of(outcome, PROVIDER);
	}

	private static VerificationResult answer(Double score, String action, String hostname, Instant challenged) {
		return new VerificationResult(VerificationOutcome.PASSED, PROVIDER, score, action, hostname, challenged,
				List.of());
	}

	/** Records what the service asks of the replay cache; every digest is new. */
	private static final class RecordingReplayCache implements ReplayCache {

		private final List<String> marked = new ArrayList<>();

		private final List<Duration> ttls = new ArrayList<>();

		private final List<String> forgotten = new ArrayList<>();

		@Override
		public boolean markUsed(String tokenDigest, Duration ttl) {
			this.marked.add(tokenDigest);
			this.ttls.add(ttl);
			return true;
		}

		@Override
		public void forget(String tokenDigest) {
			this.forgotten.add(tokenDigest);
		}

	}

	/** A clock tests move by hand. */
	private static final class MutableClock extends Clock {

		private Instant instant;

		MutableClock(Instant instant) {
			this.instant = instant;
		}

		void advance(Duration duration) {
			this.instant = this.instant.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.instant;
		}

	}

}
