package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.EscalationChallengeFactory;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests that the client cannot choose the built-in challenge type: a bot that asks
 * {@code generate} for a weak type ({@code math}, {@code pow}) and solves it by script
 * must not unlock a route, or answer an escalation, that asks for another type; and the
 * site keys' allowed types bound what {@code generate} issues and what verifies.
 */
class BuiltinChallengeTypeTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final String IP = "198.51.100.7";

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private final MutableClock clock = new MutableClock(START);

	private final RecordingChallengeStore store = new RecordingChallengeStore(new CaffeineChallengeStore(10_000));

	private BuiltinCaptchaService builtin = builtin(settings().build());

	// ---- the verifier: the request's accepted types

	@Test
	void verifyWhenBotSolvedMathForAnImageOnlyRouteThen403ChallengeTypeMismatch() {
		String token = passToken("math");

		VerificationResult result = verify(token, Set.of("image"));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
		assertThat(result.outcome().code()).isEqualTo("captcha_challenge_type_mismatch");
		assertThat(result.outcome().status()).isEqualTo(403);
	}

	@Test
	void verifyWhenBotSentAProofOfWorkPayloadToAnImageOnlyRouteThenChallengeTypeMismatch() {
		GeneratedChallenge pow = this.builtin.generate(SITE_KEY, "pow", null, null, IP);

		assertThat(verify(answer(pow), Set.of("image", "grid")).outcome())
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
	}

	@Test
	void verifyWhenBotExchangedProofOfWorkForAPassTokenThenChallengeTypeMismatch() {
		assertThat(verify(passToken("pow"), Set.of("grid")).outcome())
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
	}

	@ParameterizedTest
	@EnumSource(value = ChallengeType.class, names = { "IMAGE", "GRID" })
	void verifyWhenTokenOfAnAcceptedTypeThenPassed(ChallengeType type) {
		assertThat(verify(passToken(type.wireName()), Set.of("image", "grid")).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@ParameterizedTest
	@EnumSource(ChallengeType.class)
	void verifyWhenNoTypesAskedThenEveryTypeTheSiteKeyAllowsPassesAsBefore(ChallengeType type) {
		assertThat(verify(passToken(type.wireName()), Set.of()).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenNoTypesAskedThenDirectProofOfWorkPayloadPassesAsBefore() {
		GeneratedChallenge pow = this.builtin.generate(SITE_KEY, "pow", null, null, IP);

		assertThat(verify(answer(pow), Set.of()).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenSiteKeysNoLongerAllowTheTypeThenChallengeTypeMismatch() {
		String math = passToken("math");
		this.builtin = builtin(settings().challengeTypes(EnumSet.of(ChallengeType.IMAGE, ChallengeType.GRID)).build());

		assertThat(verify(math, Set.of()).outcome()).isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
	}

	@Test
	void verifyWhenTypeMismatchThenTokenNotSpent() {
		String image = passToken("image");
		assertThat(verify(image, Set.of("grid")).outcome()).isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);

		assertThat(verify(image, Set.of("image")).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// ---- generate: the site keys' allowed types

	@Test
	void generateWhenTypeNotAllowedForTheSiteKeyThen400BadRequestNamingTheAllowedTypes() {
		this.builtin = builtin(settings().challengeTypes(EnumSet.of(ChallengeType.IMAGE, ChallengeType.GRID)).build());

		for (String weak : List.of("math", "pow")) {
			BuiltinCaptchaException refused = catchThrowableOfType(BuiltinCaptchaException.class,
					() -> this.builtin.generate(SITE_KEY, weak, null, null, IP));

			assertThat(refused.getStatus()).isEqualTo(400);
			assertThat(refused.getCode()).isEqualTo(BuiltinCaptchaException.BAD_REQUEST);
			assertThat(refused.getMessage()).contains(weak).contains("allowed: image, grid");
		}
		assertThat(this.builtin.generate(SITE_KEY, "grid", null, null, IP).type()).isEqualTo(ChallengeType.GRID);
	}

	@Test
	void generateWhenTypeRefusedThenNotCountedAgainstTheLimits() {
		this.builtin = builtin(settings().challengeTypes(EnumSet.of(ChallengeType.IMAGE)).limits(1, 10).build());
		for (int i = 0; i < 5; i++) {
			catchThrowableOfType(BuiltinCaptchaException.class,
					() -> this.builtin.generate(SITE_KEY, "math", null, null, IP));
		}

		assertThat(this.builtin.generate(SITE_KEY, "image", null, null, IP)).isNotNull();
	}

	@Test
	void generateWhenTypeMissingAndImageNotAllowedThenFirstAllowedType() {
		this.builtin = builtin(settings().challengeTypes(EnumSet.of(ChallengeType.POW, ChallengeType.GRID)).build());

		assertThat(this.builtin.generate(SITE_KEY, null, null, null, IP).type()).isEqualTo(ChallengeType.GRID);
	}

	// ---- end to end through the verification service: routes and escalations

	@Test
	void serviceWhenRouteAcceptsOnlyImageThenScriptSolvedMathAndPowAreRefusedAndImagePasses() {
		CaptchaVerificationService service = service(false);
		CaptchaRule imageOnly = new CaptchaRule(List.of("easy"), null, null, false)
			.withChallengeTypes(List.of("image"));

		assertThat(service.verify(imageOnly, passToken("math"), IP).outcome())
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
		assertThat(service.verify(imageOnly, passToken("pow"), IP).outcome())
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
		assertThat(
				service.verify(imageOnly, answer(this.builtin.generate(SITE_KEY, "pow", null, null, IP)), IP).outcome())
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
		assertThat(service.verify(imageOnly, passToken("image"), IP).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void serviceWhenRouteSetsNoTypesThenMathPassesAsBefore() {
		CaptchaRule rule = new CaptchaRule(List.of("easy"), null, null, false);

		assertThat(service(false).verify(rule, passToken("math"), IP).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void serviceWhenEscalationAsksForGridThenItsChallengeSaysSoAndMathOrPowRetriesAreRefused() {
		CaptchaVerificationService service = service(true);
		CaptchaRule rule = new CaptchaRule(List.of("easy"), null, null, false).withEscalation(null, "strong")
			.withEscalateChallengeTypes(List.of("grid"));

		VerificationResult escalated = service.verify(rule, passToken("pow"), IP);
		assertThat(escalated.outcome()).isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);
		assertThat(escalated.challenge()).containsEntry("provider", "strong")
			.containsEntry("challenge_types", List.of("grid"))
			.containsEntry("asked", "grid");

		for (String weak : List.of("math", "pow", "image")) {
			assertThat(service.verifyWithContext(rule, passToken(weak), retry()).outcome()).as(weak)
				.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
		}
		assertThat(
				service.verifyWithContext(rule, answer(this.builtin.generate(SITE_KEY, "pow", null, null, IP)), retry())
					.outcome())
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
	}

	@Test
	void serviceWhenEscalationRetryIsOfTheAskedTypeThenPassed() {
		CaptchaVerificationService service = service(true);
		CaptchaRule rule = new CaptchaRule(List.of("easy"), null, null, false).withEscalation(null, "strong")
			.withEscalateChallengeTypes(List.of("grid"));
		assertThat(service.verify(rule, passToken("pow"), IP).outcome())
			.isEqualTo(VerificationOutcome.ESCALATION_REQUIRED);

		assertThat(service.verifyWithContext(rule, passToken("grid"), retry()).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void serviceWhenRouteTypesAndEscalationTypesDifferThenEachProviderHoldsItsOwn() {
		CaptchaVerificationService service = service(false);
		CaptchaRule rule = new CaptchaRule(List.of("easy"), null, null, false).withChallengeTypes(List.of("pow"))
			.withEscalation(null, "strong")
			.withEscalateChallengeTypes(List.of("grid"));

		assertThat(service.verify(rule, passToken("pow"), IP).outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(service.verify(rule, passToken("grid"), IP).outcome()).as("grid through the route's provider")
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
		assertThat(service.verifyWithContext(rule, passToken("pow"), retry()).outcome())
			.as("pow through the escalation provider")
			.isEqualTo(VerificationOutcome.CHALLENGE_TYPE_MISMATCH);
		assertThat(service.verifyWithContext(rule, passToken("grid"), retry()).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	// ---- helpers

	/**
	 * Two providers over one built-in service; with escalation, every pass of "easy" is
	 * escalated to "strong".
	 */
	private CaptchaVerificationService service(boolean alwaysEscalate) {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(1000))
			.clock(this.clock)
			.provider(policy("easy"))
			.provider(policy("strong"))
			.escalationChallenges(new EscalationChallengeFactory() {

				@Override
				public Map<String, Object> challenge(String provider, String action, VerificationContext context) {
					return Map.of("provider", provider);
				}

				@Override
				public Map<String, Object> challenge(String provider, String action, List<String> challengeTypes,
						VerificationContext context) {
					return Map.of("provider", provider, "asked", challengeTypes.get(0));
				}

			});
		if (alwaysEscalate) {
			builder.decisionCustomizer((rule, result, context) -> true);
		}
		return builder.build();
	}

	private ProviderPolicy policy(String name) {
		return new ProviderPolicy(name, (request) -> this.builtin.verify(name, request), Set.of(), null,
				Duration.ofMinutes(5), Duration.ofMinutes(5), 4096, false, BuiltinCaptchaVerifier.FORM_FIELD);
	}

	/**
	 * An escalation retry: the client names the escalation provider, as the widget does.
	 */
	private static VerificationContext retry() {
		return new VerificationContext(IP, null, Set.of(BuiltinCaptchaVerifier.FORM_FIELD), "strong");
	}

	private VerificationResult verify(String token, Set<String> types) {
		return this.builtin.verify("local",
				new VerificationRequest(token, IP, null, Set.of(), null, Duration.ofMinutes(5), null, false, types));
	}

	private String passToken(String type) {
		GeneratedChallenge challenge = this.builtin.generate(SITE_KEY, type, null, null, IP);
		String token = this.builtin.validate(SITE_KEY, challenge.captchaId(), answer(challenge), IP);
		assertThat(token).as(type).isNotNull();
		return token;
	}

	private String answer(GeneratedChallenge challenge) {
		return switch (challenge.type()) {
			case MATH -> {
				Matcher matcher = MATH.matcher(challenge.question());
				assertThat(matcher.matches()).isTrue();
				int a = Integer.parseInt(matcher.group(1));
				int b = Integer.parseInt(matcher.group(3));
				yield Integer.toString(switch (matcher.group(2)) {
					case "+" -> a + b;
					case "-" -> a - b;
					default -> a * b;
				});
			}
			case POW -> {
				Map<String, Object> pow = challenge.pow();
				Altcha.AltchaChallenge altcha = new Altcha.AltchaChallenge((String) pow.get("algorithm"),
						(String) pow.get("challenge"), (Integer) pow.get("maxnumber"), (String) pow.get("salt"),
						(String) pow.get("signature"));
				yield Altcha.payload(altcha, Altcha.solve(altcha));
			}
			default -> this.store.answer(challenge.captchaId());
		};
	}

	private BuiltinSettings.Builder settings() {
		return BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of(SITE_KEY)).powMaxNumber(1000);
	}

	private BuiltinCaptchaService builtin(BuiltinSettings settings) {
		return new BuiltinCaptchaService(settings, this.store, new CaffeineRateLimiter(1000, this.clock),
				new CaffeineReplayCache(1000), this.clock);
	}

}
