package io.github.captchasecurity.provider.builtin;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.provider.ProviderJson;
import io.github.captchasecurity.provider.builtin.ChallengeImages.ShapeKind;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link BuiltinCaptchaService}: the generate/validate API and local
 * verification of pass tokens and ALTCHA payloads. Time is a {@link MutableClock};
 * answers of image and grid challenges come from a {@link RecordingChallengeStore}, math
 * answers from the question, proof-of-work solutions from {@link Altcha#solve}.
 */
class BuiltinCaptchaServiceTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final String OTHER_SITE_KEY = "other-site-key";

	private static final String PROVIDER = "local";

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(START);

	private final RecordingChallengeStore store = new RecordingChallengeStore(new CaffeineChallengeStore(10_000));

	private final CaffeineReplayCache replayCache = new CaffeineReplayCache(10_000);

	private BuiltinCaptchaService service = service(settings().build());

	// ---- generate: the members of each type

	@Test
	void generateWhenImageThenIdTypeBase64PngOfConfiguredSizeAndExpiry() throws IOException {
		this.service = service(settings().image(6, 200, 80).build());

		Map<String, Object> json = this.service.generate(SITE_KEY, "image", null, null, null).toJson();

		assertThat(json).containsOnlyKeys("captcha_id", "type", "image", "expires_in")
			.containsEntry("type", "image")
			.containsEntry("expires_in", 300L);
		assertThat((String) json.get("captcha_id")).matches("[A-Za-z0-9_-]{16,}");
		BufferedImage image = png((String) json.get("image"));
		assertThat(image.getWidth()).isEqualTo(200);
		assertThat(image.getHeight()).isEqualTo(80);
		assertThat(this.store.answer((String) json.get("captcha_id"))).hasSize(6);
	}

	@Test
	void generateWhenTypeMissingThenImage() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, null, null, null, null);

		assertThat(challenge.type()).isEqualTo(ChallengeType.IMAGE);
		assertThat(challenge.toJson()).containsEntry("type", "image").containsKey("image");
	}

	@Test
	void generateWhenImageThenAnswerHasNoAmbiguousCharacters() {
		for (int i = 0; i < 30; i++) {
			String id = this.service.generate(SITE_KEY, "image", null, null, null).captchaId();

			assertThat(this.store.answer(id)).hasSize(5)
				.matches("[" + BuiltinCaptchaService.ALPHABET + "]+")
				.doesNotContainPattern("[0O1lIiLo]");
		}
	}

	@Test
	void generateWhenMathThenQuestionAndNoImage() {
		Map<String, Object> json = this.service.generate(SITE_KEY, "math", null, null, null).toJson();

		assertThat(json).containsOnlyKeys("captcha_id", "type", "question", "expires_in")
			.containsEntry("type", "math")
			.containsEntry("expires_in", 300L);
		String question = (String) json.get("question");
		assertThat(question).matches(MATH);
		assertThat(mathAnswer(question)).isEqualTo(this.store.answer((String) json.get("captcha_id")));
	}

	@Test
	void generateWhenMathAsImageThenAlsoPngOfConfiguredSize() throws IOException {
		this.service = service(settings().image(5, 180, 70).mathAsImage(true).build());

		Map<String, Object> json = this.service.generate(SITE_KEY, "math", null, null, null).toJson();

		assertThat(json).containsKeys("question", "image");
		BufferedImage image = png((String) json.get("image"));
		assertThat(image.getWidth()).isEqualTo(180);
		assertThat(image.getHeight()).isEqualTo(70);
	}

	@ParameterizedTest
	@ValueSource(ints = { 100, 300, 450 })
	void generateWhenGridThenSquarePngOfRequestedSizeAndGridMembers(int size) throws IOException {
		Map<String, Object> json = this.service.generate(SITE_KEY, "grid", size, null, null).toJson();

		assertThat(json)
			.containsOnlyKeys("captcha_id", "type", "image", "question", "expires_in", "size", "rows", "cols", "label")
			.containsEntry("type", "grid")
			.containsEntry("expires_in", 300L)
			.containsEntry("size", size)
			.containsEntry("rows", 3)
			.containsEntry("cols", 3);
		BufferedImage image = png((String) json.get("image"));
		assertThat(image.getWidth()).isEqualTo(size);
		assertThat(image.getHeight()).isEqualTo(size);
		String label = (String) json.get("label");
		assertThat(label).isIn(Arrays.stream(ShapeKind.values()).map(ShapeKind::label).toList());
		assertThat((String) json.get("question")).isEqualTo("Select all squares with a " + label.substring(7));
	}

	@Test
	void generateWhenGridWithoutSizeThen300() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "grid", null, null, null);

		assertThat(challenge.toJson()).containsEntry("size", 300);
	}

	@Test
	void generateWhenGridThenAtLeastOneAndNotAllTilesMatch() {
		for (int i = 0; i < 40; i++) {
			String id = this.service.generate(SITE_KEY, "grid", 100, null, null).captchaId();

			String answer = this.store.answer(id);
			assertThat(answer).matches("[0-8](,[0-8])*");
			List<Integer> tiles = Arrays.stream(answer.split(",")).map(Integer::valueOf).toList();
			assertThat(tiles).isSorted().doesNotHaveDuplicates().hasSizeBetween(1, 8);
		}
	}

	@Test
	void generateWhenPowThenAltchaChallengeMembers() {
		Map<String, Object> json = this.service.generate(SITE_KEY, "pow", null, null, null).toJson();

		assertThat(json)
			.containsOnlyKeys("captcha_id", "type", "expires_in", "algorithm", "challenge", "maxnumber", "salt",
					"signature")
			.containsEntry("type", "pow")
			.containsEntry("expires_in", 300L)
			.containsEntry("algorithm", "SHA-256")
			.containsEntry("maxnumber", 1000);
		assertThat((String) json.get("challenge")).matches("[0-9a-f]{64}");
		assertThat((String) json.get("signature")).matches("[0-9a-f]{64}");
		String salt = (String) json.get("salt");
		assertThat(salt).endsWith("&")
			.contains("expires=" + START.plus(Duration.ofMinutes(5)).getEpochSecond() + "&")
			.contains("sk=" + BuiltinCaptchaService.shortDigest(SITE_KEY) + "&");
	}

	@Test
	void generateWhenChallengeTtlConfiguredThenExpiresIn() {
		this.service = service(settings().challengeTtl(Duration.ofMinutes(2)).build());

		assertThat(this.service.generate(SITE_KEY, "math", null, null, null).toJson()).containsEntry("expires_in",
				120L);
	}

	@Test
	void generateWhenCalledTwiceThenDistinctIds() {
		String first = this.service.generate(SITE_KEY, "math", null, null, null).captchaId();
		String second = this.service.generate(SITE_KEY, "math", null, null, null).captchaId();

		assertThat(first).isNotEqualTo(second);
	}

	// ---- site keys and arguments

	@ParameterizedTest
	@ValueSource(strings = { "unknown", "demo-site-key ", "DEMO-SITE-KEY", "" })
	void generateWhenUnknownSiteKeyThen403(String siteKey) {
		assertRefused(() -> this.service.generate(siteKey, "math", null, null, null), 403,
				BuiltinCaptchaException.SITE_KEY_INVALID);
	}

	@Test
	void generateWhenSiteKeyNullThen403() {
		assertRefused(() -> this.service.generate(null, "math", null, null, null), 403,
				BuiltinCaptchaException.SITE_KEY_INVALID);
	}

	@Test
	void validateWhenUnknownSiteKeyThen403AndChallengeNotBurnt() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);

		assertRefused(() -> this.service.validate("unknown", challenge.captchaId(), answer(challenge), null), 403,
				BuiltinCaptchaException.SITE_KEY_INVALID);
		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null)).isNotNull();
	}

	@Test
	void generateWhenSiteKeyConfiguredAsSha256ThenPlainKeyAccepted() {
		String hashed = "hashed-site-key";
		this.service = service(BuiltinSettings.builder(SIGNING_KEY)
			.siteKeys(List.of("sha256:" + TokenDigest.sha256Hex(hashed)))
			.powMaxNumber(1000)
			.build());

		GeneratedChallenge challenge = this.service.generate(hashed, "math", null, null, null);
		String token = this.service.validate(hashed, challenge.captchaId(), answer(challenge), null);

		assertThat(token).isNotNull();
		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertRefused(() -> this.service.generate("sha256:" + TokenDigest.sha256Hex(hashed), "math", null, null, null),
				403, BuiltinCaptchaException.SITE_KEY_INVALID);
	}

	@Test
	void generateWhenSiteKeyConfiguredAsUpperCaseSha256ThenAccepted() {
		String hashed = "hashed-site-key";
		this.service = service(BuiltinSettings.builder(SIGNING_KEY)
			.siteKeys(List.of("SHA256:" + TokenDigest.sha256Hex(hashed).toUpperCase(Locale.ROOT)))
			.build());

		assertThat(this.service.generate(hashed, "math", null, null, null).captchaId()).isNotBlank();
	}

	@Test
	void verifyWhenPowForSiteKeyConfiguredAsSha256ThenPassed() {
		String hashed = "hashed-site-key";
		this.service = service(BuiltinSettings.builder(SIGNING_KEY)
			.siteKeys(List.of("sha256:" + TokenDigest.sha256Hex(hashed)))
			.powMaxNumber(1000)
			.build());

		GeneratedChallenge challenge = this.service.generate(hashed, "pow", null, null, null);

		assertThat(verify(powPayload(challenge), null).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "audio", "", "image2", "POWER" })
	void generateWhenUnknownTypeThen400(String type) {
		assertRefused(() -> this.service.generate(SITE_KEY, type, null, null, null), 400,
				BuiltinCaptchaException.BAD_REQUEST);
	}

	@Test
	void generateWhenTypeInOtherCaseThenAccepted() {
		assertThat(this.service.generate(SITE_KEY, " Math ", null, null, null).type()).isEqualTo(ChallengeType.MATH);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -300, 99, 200, 301, 451, 900 })
	void generateWhenGridSizeNotAllowedThen400(int size) {
		assertRefused(() -> this.service.generate(SITE_KEY, "grid", size, null, null), 400,
				BuiltinCaptchaException.BAD_REQUEST);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "has space", "semi;colon", "ünïcode", "<script>",
			"a-65-character-action-is-one-too-long-for-the-limit-of-64-xxxxxxx" })
	void generateWhenBadActionThen400(String action) {
		assertRefused(() -> this.service.generate(SITE_KEY, "math", null, action, null), 400,
				BuiltinCaptchaException.BAD_REQUEST);
	}

	@Test
	void generateWhenActionOf64AllowedCharactersThenCarriedByChallenge() {
		String action = "Contact/form_1-" + "x".repeat(49);

		String id = this.service.generate(SITE_KEY, "math", null, action, null).captchaId();

		assertThat(this.store.saved(id).action()).hasSize(64).isEqualTo(action);
	}

	@Test
	void generateWhenBadArgumentsThenNotCountedAgainstLimit() {
		this.service = service(settings().limits(1, 10).build());
		assertRefused(() -> this.service.generate(SITE_KEY, "audio", null, null, null), 400,
				BuiltinCaptchaException.BAD_REQUEST);

		assertThat(this.service.generate(SITE_KEY, "math", null, null, null)).isNotNull();
	}

	@Test
	void validateWhenCaptchaIdOrInputMissingThen400() {
		assertRefused(() -> this.service.validate(SITE_KEY, null, "1", null), 400, BuiltinCaptchaException.BAD_REQUEST);
		assertRefused(() -> this.service.validate(SITE_KEY, " ", "1", null), 400, BuiltinCaptchaException.BAD_REQUEST);
		assertRefused(() -> this.service.validate(SITE_KEY, "x".repeat(129), "1", null), 400,
				BuiltinCaptchaException.BAD_REQUEST);
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);
		assertRefused(() -> this.service.validate(SITE_KEY, challenge.captchaId(), null, null), 400,
				BuiltinCaptchaException.BAD_REQUEST);
		assertRefused(() -> this.service.validate(SITE_KEY, challenge.captchaId(), "1".repeat(4097), null), 400,
				BuiltinCaptchaException.BAD_REQUEST);
	}

	@Test
	void validateWhenUnknownCaptchaIdThen400ChallengeInvalid() {
		assertRefused(() -> this.service.validate(SITE_KEY, "no-such-challenge", "12", null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
	}

	// ---- rate limits

	@Test
	void generateWhenHourlyLimitReachedThen429WithRetryAfter() {
		this.service = service(settings().limits(3, 100).build());
		for (int i = 0; i < 3; i++) {
			this.service.generate(SITE_KEY, "math", null, null, null);
		}
		this.clock.advance(Duration.ofMinutes(10));

		BuiltinCaptchaException refused = assertRefused(() -> this.service.generate(SITE_KEY, "math", null, null, null),
				429, BuiltinCaptchaException.RATE_LIMITED);

		assertThat(refused.getRetryAfter()).isPositive()
			.isLessThanOrEqualTo(Duration.ofHours(1))
			.isEqualTo(Duration.ofMinutes(50));
	}

	@Test
	void generateWhenHourPassedThenAllowedAgain() {
		this.service = service(settings().limits(2, 100).build());
		this.service.generate(SITE_KEY, "math", null, null, null);
		this.service.generate(SITE_KEY, "math", null, null, null);
		this.clock.advance(Duration.ofMinutes(59));
		assertRefused(() -> this.service.generate(SITE_KEY, "math", null, null, null), 429,
				BuiltinCaptchaException.RATE_LIMITED);

		this.clock.advance(Duration.ofMinutes(1));

		assertThat(this.service.generate(SITE_KEY, "math", null, null, null)).isNotNull();
		assertThat(this.service.generate(SITE_KEY, "math", null, null, null)).isNotNull();
		assertRefused(() -> this.service.generate(SITE_KEY, "math", null, null, null), 429,
				BuiltinCaptchaException.RATE_LIMITED);
	}

	@Test
	void generateWhenLimitReachedThenRetryAfterRoundedUpToWholeSeconds() {
		this.service = service(settings().limits(1, 100).build());
		this.service.generate(SITE_KEY, "math", null, null, null);
		this.clock.advance(Duration.ofMillis(1500));

		BuiltinCaptchaException refused = assertRefused(() -> this.service.generate(SITE_KEY, "math", null, null, null),
				429, BuiltinCaptchaException.RATE_LIMITED);

		assertThat(refused.getRetryAfter()).isEqualTo(Duration.ofSeconds(3599));
	}

	@Test
	void validateWhenFailedValidationsReachLimitThen429EvenForRightAnswer() {
		this.service = service(settings().limits(100, 3).build());
		GeneratedChallenge wrong = this.service.generate(SITE_KEY, "math", null, null, null);
		assertThat(this.service.validate(SITE_KEY, wrong.captchaId(), "-1", null)).isNull();
		assertRefused(() -> this.service.validate(SITE_KEY, "no-such-challenge", "1", null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
		assertRefused(() -> this.service.validate(SITE_KEY, wrong.captchaId(), "1", null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
		GeneratedChallenge right = this.service.generate(SITE_KEY, "math", null, null, null);

		BuiltinCaptchaException refused = assertRefused(
				() -> this.service.validate(SITE_KEY, right.captchaId(), answer(right), null), 429,
				BuiltinCaptchaException.RATE_LIMITED);

		assertThat(refused.getRetryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
		this.clock.advance(Duration.ofHours(1));
		GeneratedChallenge later = this.service.generate(SITE_KEY, "math", null, null, null);
		assertThat(this.service.validate(SITE_KEY, later.captchaId(), answer(later), null)).isNotNull();
	}

	@Test
	void generateWhenOneSiteKeyLimitedThenOtherSiteKeyUnaffected() {
		this.service = service(settings().limits(1, 1).build());
		this.service.generate(SITE_KEY, "math", null, null, null);
		assertRefused(() -> this.service.generate(SITE_KEY, "math", null, null, null), 429,
				BuiltinCaptchaException.RATE_LIMITED);
		assertRefused(() -> this.service.validate(SITE_KEY, "x", "1", null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
		assertRefused(() -> this.service.validate(SITE_KEY, "x", "1", null), 429, BuiltinCaptchaException.RATE_LIMITED);

		GeneratedChallenge other = this.service.generate(OTHER_SITE_KEY, "math", null, null, null);

		assertThat(this.service.validate(OTHER_SITE_KEY, other.captchaId(), answer(other), null)).isNotNull();
	}

	@Test
	void validateWhenGenerateLimitReachedThenValidateStillAllowed() {
		this.service = service(settings().limits(1, 10).build());
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);
		assertRefused(() -> this.service.generate(SITE_KEY, "math", null, null, null), 429,
				BuiltinCaptchaException.RATE_LIMITED);

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null)).isNotNull();
	}

	// ---- expiry, single use, burning

	@Test
	void validateWhenChallengeTtlPassedThen400() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);

		this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

		assertRefused(() -> this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
	}

	@Test
	void validateWhenJustBeforeChallengeTtlThenValid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);

		this.clock.advance(Duration.ofMinutes(5).minusSeconds(1));

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null)).isNotNull();
	}

	@Test
	void validateWhenRightAnswerTwiceThenSecond400() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null)).isNotNull();
		assertRefused(() -> this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
	}

	@ParameterizedTest
	@ValueSource(strings = { "image", "math", "grid", "pow" })
	void validateWhenWrongAnswerThenBurnt(String type) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, type, null, null, null);

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), wrongAnswer(challenge), null)).isNull();
		assertRefused(() -> this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
	}

	@Test
	void validateWhenOtherConfiguredSiteKeyThen400AndBurnt() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);

		assertRefused(() -> this.service.validate(OTHER_SITE_KEY, challenge.captchaId(), answer(challenge), null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
		assertRefused(() -> this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
	}

	// ---- right answers per type

	@ParameterizedTest
	@ValueSource(strings = { "%s", "lower", " spaced ", "\t%s\n" })
	void validateWhenImageAnswerInOtherCaseOrWithWhitespaceThenValid(String form) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "image", null, null, null);
		String answer = answer(challenge);
		String input = switch (form) {
			case "lower" -> answer.toLowerCase(Locale.ROOT);
			case " spaced " -> " " + String.join(" ", answer.split("")) + " ";
			default -> String.format(form, answer);
		};

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), input, null)).isNotNull();
	}

	@Test
	void validateWhenImageAnswerMissesACharacterThenInvalid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "image", null, null, null);

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge).substring(1), null))
			.isNull();
	}

	@Test
	void validateWhenMathAnswerParsedFromQuestionThenValid() {
		for (int i = 0; i < 20; i++) {
			GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);

			assertThat(this.service.validate(SITE_KEY, challenge.captchaId(),
					" " + mathAnswer(challenge.question()) + " ", null))
				.as(challenge.question())
				.isNotNull();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "1.0", "", "1e1", "0x1" })
	void validateWhenMathAnswerNotAnIntegerThenInvalid(String input) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), input, null)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "canonical", "json", "spaced", "reversed" })
	void validateWhenGridExactSetInAnyOrderOrFormatThenValid(String form) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "grid", null, null, null);
		List<String> tiles = List.of(answer(challenge).split(","));
		List<String> reversed = new ArrayList<>(tiles);
		Collections.reverse(reversed);
		String input = switch (form) {
			case "canonical" -> String.join(",", tiles);
			case "json" -> "[" + String.join(",", reversed) + "]";
			case "spaced" -> " " + String.join(" , ", reversed) + " ";
			default -> String.join(",", reversed);
		};

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), input, null)).as(input).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "subset", "superset", "duplicate", "outOfRange", "negative", "empty", "words", "trailing" })
	void validateWhenGridNotExactlyTheSetThenInvalid(String form) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "grid", null, null, null);
		List<String> tiles = List.of(answer(challenge).split(","));
		String missing = IntStream.range(0, 9)
			.mapToObj(Integer::toString)
			.filter((tile) -> !tiles.contains(tile))
			.findFirst()
			.orElseThrow();
		String input = switch (form) {
			case "subset" -> String.join(",", tiles.subList(1, tiles.size()));
			case "superset" -> String.join(",", tiles) + "," + missing;
			case "duplicate" -> String.join(",", tiles) + "," + tiles.get(0);
			case "outOfRange" -> String.join(",", tiles) + ",9";
			case "negative" -> "-1," + String.join(",", tiles);
			case "empty" -> "[]";
			case "words" -> "all of them";
			default -> String.join(",", tiles) + ",";
		};

		String token = this.service.validate(SITE_KEY, challenge.captchaId(), input, null);

		assertThat(token).as(input).isNull();
	}

	@Test
	void canonicalTilesWhenVariousFormsThenSortedSetOrNull() {
		assertThat(BuiltinCaptchaService.canonicalTiles("2,5,7")).isEqualTo("2,5,7");
		assertThat(BuiltinCaptchaService.canonicalTiles("[7,2,5]")).isEqualTo("2,5,7");
		assertThat(BuiltinCaptchaService.canonicalTiles(" 5, 2 ,7")).isEqualTo("2,5,7");
		assertThat(BuiltinCaptchaService.canonicalTiles("0")).isEqualTo("0");
		assertThat(BuiltinCaptchaService.canonicalTiles("2,2")).isNull();
		assertThat(BuiltinCaptchaService.canonicalTiles("9")).isNull();
		assertThat(BuiltinCaptchaService.canonicalTiles("10")).isNull();
		assertThat(BuiltinCaptchaService.canonicalTiles("2;5")).isNull();
		assertThat(BuiltinCaptchaService.canonicalTiles("")).isNull();
		assertThat(BuiltinCaptchaService.canonicalTiles("[]")).isNull();
	}

	@Test
	void validateWhenPowPayloadThenValid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);

		String token = this.service.validate(SITE_KEY, challenge.captchaId(), powPayload(challenge), null);

		assertThat(token).isNotNull();
		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void validateWhenPayloadOfAnotherPowChallengeThenInvalid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		GeneratedChallenge other = this.service.generate(SITE_KEY, "pow", null, null, null);

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), powPayload(other), null)).isNull();
		assertThat(verify(powPayload(other), null).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// ---- pass tokens

	@ParameterizedTest
	@ValueSource(strings = { "image", "math", "grid", "pow" })
	void validateWhenRightAnswerThenSignedJwtThatVerifyAccepts(String type) throws Exception {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, type, null, null, null);

		String token = this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null);

		assertThat(token).isNotNull().startsWith("eyJ");
		SignedJWT jwt = SignedJWT.parse(token);
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getJWTID()).isEqualTo(challenge.captchaId());
		assertThat(claims.getStringClaim("sk")).isEqualTo(SITE_KEY);
		assertThat(claims.getStringClaim("ctype")).isEqualTo(type);
		assertThat(claims.getIssueTime().toInstant()).isEqualTo(START);
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(START.plus(Duration.ofMinutes(5)));
		assertThat(claims.getClaim("ip")).isNull();
		VerificationResult result = verify(token, "192.0.2.1");
		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(PROVIDER);
		assertThat(result.challengeTimestamp()).isEqualTo(START);
	}

	@Test
	void verifyWhenActionGivenAtGenerateThenCarriedIntoResult() throws Exception {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, "contact/form_1", null);
		String token = this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null);

		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("act")).isEqualTo("contact/form_1");
		assertThat(verify(token, null).action()).isEqualTo("contact/form_1");
	}

	@Test
	void verifyWhenNoActionThenNullAction() {
		VerificationResult result = verify(passToken(), null);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.action()).isNull();
	}

	@Test
	void verifyWhenPassTokenUsedTwiceThenReplayed() {
		String token = passToken();

		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void verifyWhenPayloadClaimChangedThenInvalid() throws Exception {
		String token = passToken();
		String[] parts = token.split("\\.");
		Map<String, Object> claims = new LinkedHashMap<>(SignedJWT.parse(token).getJWTClaimsSet().toJSONObject());
		claims.put("exp", START.plus(Duration.ofDays(1)).getEpochSecond());
		String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(ProviderJson.write(claims));

		assertThat(verify(parts[0] + "." + payload + "." + parts[2], null).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token, null).outcome()).as("the genuine token was not spent")
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenOneCharacterOfPayloadChangedThenInvalid() {
		String token = passToken();
		int dot = token.indexOf('.');
		int position = dot + 10;
		char replacement = (token.charAt(position) == 'A') ? 'B' : 'A';
		String tampered = token.substring(0, position) + replacement + token.substring(position + 1);

		assertThat(verify(tampered, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenSignatureChangedThenInvalid() {
		String token = passToken();
		int position = token.lastIndexOf('.') + 1;
		char replacement = (token.charAt(position) == 'A') ? 'B' : 'A';
		String tampered = token.substring(0, position) + replacement + token.substring(position + 1);

		assertThat(verify(tampered, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token.substring(0, position), null).outcome()).as("no signature")
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenSignedWithAnotherKeyThenInvalid() throws Exception {
		byte[] otherKey = new byte[32];
		new SecureRandom().nextBytes(otherKey);
		SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), genuineClaims("forged-id"));
		forged.sign(new MACSigner(otherKey));

		assertThat(verify(forged.serialize(), null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenUnsecuredAlgNoneThenInvalid() throws Exception {
		String unsecured = new PlainJWT(genuineClaims("none-id")).serialize();
		assertThat(unsecured).startsWith("eyJ").endsWith(".");

		assertThat(verify(unsecured, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenHeaderSaysAlgNoneWithGenuineSignatureThenInvalid() {
		String token = passToken();
		String none = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));

		assertThat(verify(none + token.substring(token.indexOf('.')), null).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenTokenTtlPassedThenExpired() {
		String token = passToken();

		this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	@Test
	void verifyWhenJustBeforeTokenTtlThenPassed() {
		String token = passToken();

		this.clock.advance(Duration.ofMinutes(5).minusSeconds(1));

		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenTokenTtlConfiguredThenExpiresAfterIt() {
		this.service = service(settings().tokenTtl(Duration.ofMinutes(1)).build());
		String token = passToken();

		this.clock.advance(Duration.ofSeconds(61));

		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	@Test
	void verifyWhenSiteKeyNoLongerConfiguredThenInvalid() {
		String token = passToken();
		BuiltinCaptchaService reconfigured = new BuiltinCaptchaService(
				BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of(OTHER_SITE_KEY)).build(), this.store,
				new CaffeineRateLimiter(100, this.clock), new CaffeineReplayCache(100), this.clock);

		assertThat(reconfigured.verify(PROVIDER, request(token, null)).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token, null).outcome()).as("control: same token, site key still configured")
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenOtherSigningKeyThenInvalid() {
		String token = passToken();
		BuiltinCaptchaService other = new BuiltinCaptchaService(
				BuiltinSettings.builder("another signing key, of 256 bits".getBytes(StandardCharsets.UTF_8))
					.siteKeys(List.of(SITE_KEY))
					.build(),
				this.store, new CaffeineRateLimiter(100, this.clock), new CaffeineReplayCache(100), this.clock);

		assertThat(other.verify(PROVIDER, request(token, null)).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@ParameterizedTest
	@ValueSource(strings = { "eyJ.eyJ.", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA", "eyJ...", "eyJhbGciOiJIUzI1NiJ9.!!.??" })
	void verifyWhenJwtShapedGarbageThenInvalid(String token) {
		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	// ---- IP binding

	@Test
	void verifyWhenBoundTokenFromOtherIpThenInvalidAndFromSameIpPassed() throws Exception {
		this.service = service(settings().bindIp(true).build());
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, "10.0.0.1");
		String token = this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), "10.0.0.1");
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("ip")).isEqualTo("10.0.0.1");

		assertThat(verify(token, "10.0.0.2").outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token, "10.0.0.1").outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void validateWhenBoundAndOtherIpThanGenerateThenNotValidAndBurnt() {
		this.service = service(settings().bindIp(true).build());
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, "10.0.0.1");

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), "10.0.0.2")).isNull();
		assertRefused(() -> this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), "10.0.0.1"), 400,
				BuiltinCaptchaException.CHALLENGE_INVALID);
	}

	@Test
	void validateWhenNotBoundThenOtherIpAcceptedAndIpOnlyRecorded() throws Exception {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, "10.0.0.1");

		String token = this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), "10.0.0.2");

		assertThat(token).isNotNull();
		// the issuing IP is recorded for routes that require a server-issued challenge,
		// but not enforced here
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getClaim("ip")).isEqualTo("10.0.0.2");
		assertThat(verify(token, "10.0.0.3").outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenBoundPowFromOtherIpThenInvalidAndFromSameIpPassed() {
		this.service = service(settings().bindIp(true).build());
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, "10.0.0.1");
		assertThat((String) challenge.pow().get("salt"))
			.contains("ip=" + BuiltinCaptchaService.shortDigest("10.0.0.1"));
		String payload = powPayload(challenge);

		assertThat(verify(payload, "10.0.0.2").outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(payload, "10.0.0.1").outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// ---- ALTCHA payloads on protected routes

	@Test
	void verifyWhenPowPayloadThenPassedOnceThenReplayed() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		String payload = powPayload(challenge);

		VerificationResult first = verify(payload, null);

		assertThat(first.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(first.provider()).isEqualTo(PROVIDER);
		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void verifyWhenPowPayloadAlreadyValidatedThenReplayed() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		String payload = powPayload(challenge);
		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), payload, null)).isNotNull();

		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void validateWhenPowPayloadAlreadyUsedDirectlyThenNotValid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		String payload = powPayload(challenge);
		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.PASSED);

		assertThat(this.service.validate(SITE_KEY, challenge.captchaId(), payload, null)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "number", "salt", "challenge", "signature" })
	void verifyWhenPowPayloadMemberTamperedThenInvalid(String member) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		Map<String, Object> payload = powPayloadMap(challenge);
		switch (member) {
			case "number" -> payload.put("number", ((Number) payload.get("number")).longValue() + 1);
			case "salt" -> payload.put("salt", flipFirstHexDigit((String) payload.get("salt")));
			default -> payload.put(member, flipLastHexDigit((String) payload.get(member)));
		}

		assertThat(verify(encode(payload), null).outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(powPayload(challenge), null).outcome()).as("control: genuine payload")
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenSaltExpiryRaisedThenInvalid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		Map<String, Object> payload = powPayloadMap(challenge);
		long expires = START.plus(Duration.ofMinutes(5)).getEpochSecond();
		payload.put("salt",
				((String) payload.get("salt")).replace("expires=" + expires, "expires=" + (expires + 3600)));
		this.clock.advance(Duration.ofMinutes(30));

		assertThat(verify(encode(payload), null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenSaltExpiredThenExpired() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		String payload = powPayload(challenge);

		this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	@Test
	void verifyWhenHandBuiltDelimitedChallengeThenPassed() {
		String payload = handBuiltPayload("00112233445566778899aabb?expires=" + expires() + "&sk="
				+ BuiltinCaptchaService.shortDigest(SITE_KEY) + "&", 42);

		assertThat(verify(payload, null).outcome()).as("the hand-built construction matches the service's")
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenSaltWithoutTrailingAmpersandThenInvalid() {
		String payload = handBuiltPayload(
				"00112233445566778899aabb?expires=" + expires() + "&sk=" + BuiltinCaptchaService.shortDigest(SITE_KEY),
				42);

		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenChallengeForUnconfiguredSiteKeyThenInvalid() {
		String payload = handBuiltPayload("00112233445566778899aabb?expires=" + expires() + "&sk="
				+ BuiltinCaptchaService.shortDigest("not-configured") + "&", 42);

		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenChallengeWithoutSiteKeyParamThenInvalid() {
		String payload = handBuiltPayload("00112233445566778899aabb?expires=" + expires() + "&", 42);

		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenPowGeneratedForSiteKeyOfAnotherServiceThenInvalid() {
		BuiltinCaptchaService elsewhere = new BuiltinCaptchaService(
				BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of("elsewhere-key")).powMaxNumber(1000).build(),
				this.store, new CaffeineRateLimiter(100, this.clock), new CaffeineReplayCache(100), this.clock);
		GeneratedChallenge challenge = elsewhere.generate("elsewhere-key", "pow", null, null, null);
		String payload = powPayload(challenge);

		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(elsewhere.verify(PROVIDER, request(payload, null)).outcome()).as("control: its own service")
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "%%%not-base64%%%", "bm90IGpzb24=", "WzEsMiwzXQ==", "eyJhIjoxfQ==", "e30=",
			"bnVsbA==" })
	void verifyWhenPowPayloadNotBase64JsonWithMembersThenInvalid(String payload) {
		// "not json", "[1,2,3]", {"a":1}, {}, null
		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@ParameterizedTest
	@ValueSource(strings = { "algorithm", "challenge", "number", "salt", "signature" })
	void verifyWhenPowPayloadMemberMissingThenInvalid(String member) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		Map<String, Object> payload = powPayloadMap(challenge);
		payload.remove(member);

		assertThat(verify(encode(payload), null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenPowPayloadAlgorithmSha1ThenInvalid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		Map<String, Object> payload = powPayloadMap(challenge);
		payload.put("algorithm", "SHA-1");

		assertThat(verify(encode(payload), null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenPowNumberBeyondLongRangeThenInvalid() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, null, null);
		String json = new String(Base64.getDecoder().decode(powPayload(challenge)), StandardCharsets.UTF_8)
			.replaceFirst("\"number\":\\d+", "\"number\":100000000000000000000000");
		String payload = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));

		assertThat(verify(payload, null).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	// ---- verifier

	@Test
	void builtinCaptchaVerifierWhenVerifyThenDelegatesWithItsName() {
		BuiltinCaptchaVerifier verifier = new BuiltinCaptchaVerifier("mine", this.service);

		VerificationResult result = verifier.verify(request(passToken(), null));

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo("mine");
	}

	// ---- helpers

	private BuiltinSettings.Builder settings() {
		return BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of(SITE_KEY, OTHER_SITE_KEY)).powMaxNumber(1000);
	}

	private BuiltinCaptchaService service(BuiltinSettings settings) {
		return new BuiltinCaptchaService(settings, this.store, new CaffeineRateLimiter(1000, this.clock),
				this.replayCache, this.clock);
	}

	private VerificationResult verify(String token, String clientIp) {
		return this.service.verify(PROVIDER, request(token, clientIp));
	}

	private static VerificationRequest request(String token, String clientIp) {
		return new VerificationRequest(token, clientIp, null, Set.of(), null, Duration.ofMinutes(5));
	}

	private String passToken() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, null, null);
		String token = this.service.validate(SITE_KEY, challenge.captchaId(), answer(challenge), null);
		assertThat(token).isNotNull();
		return token;
	}

	private String answer(GeneratedChallenge challenge) {
		return switch (challenge.type()) {
			case MATH -> mathAnswer(challenge.question());
			case POW -> powPayload(challenge);
			default -> this.store.answer(challenge.captchaId());
		};
	}

	private String wrongAnswer(GeneratedChallenge challenge) {
		return switch (challenge.type()) {
			case IMAGE -> "XXXXX".equals(answer(challenge)) ? "YYYYY" : "XXXXX";
			case MATH -> Integer.toString(Integer.parseInt(answer(challenge)) + 1);
			case GRID -> answer(challenge).equals("0") ? "1" : "0";
			case POW -> {
				Map<String, Object> payload = powPayloadMap(challenge);
				payload.put("number", ((Number) payload.get("number")).longValue() + 1);
				yield encode(payload);
			}
		};
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

	private static Altcha.AltchaChallenge altcha(GeneratedChallenge challenge) {
		Map<String, Object> pow = challenge.pow();
		return new Altcha.AltchaChallenge((String) pow.get("algorithm"), (String) pow.get("challenge"),
				(Integer) pow.get("maxnumber"), (String) pow.get("salt"), (String) pow.get("signature"));
	}

	private static String powPayload(GeneratedChallenge challenge) {
		Altcha.AltchaChallenge altcha = altcha(challenge);
		return Altcha.payload(altcha, Altcha.solve(altcha));
	}

	private static Map<String, Object> powPayloadMap(GeneratedChallenge challenge) {
		JsonNode json = JSON.readTree(Base64.getDecoder().decode(powPayload(challenge)));
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("algorithm", json.get("algorithm").stringValue());
		payload.put("challenge", json.get("challenge").stringValue());
		payload.put("number", json.get("number").longValue());
		payload.put("salt", json.get("salt").stringValue());
		payload.put("signature", json.get("signature").stringValue());
		return payload;
	}

	private static String encode(Map<String, Object> payload) {
		return Base64.getEncoder().encodeToString(ProviderJson.write(payload));
	}

	private static String flipLastHexDigit(String hex) {
		char last = hex.charAt(hex.length() - 1);
		return hex.substring(0, hex.length() - 1) + ((last == '0') ? '1' : '0');
	}

	private static String flipFirstHexDigit(String hex) {
		return ((hex.charAt(0) == '0') ? '1' : '0') + hex.substring(1);
	}

	private static long expires() {
		return START.plus(Duration.ofMinutes(5)).getEpochSecond();
	}

	/**
	 * A payload for a challenge built by hand with the service's ALTCHA key, derived as
	 * the service derives it.
	 */
	private static String handBuiltPayload(String salt, int number) {
		byte[] powKey = Altcha.hmac(SIGNING_KEY, "captcha-security altcha v1".getBytes(StandardCharsets.UTF_8));
		String challenge = Altcha.sha256Hex(salt + number);
		return Altcha.payload(
				new Altcha.AltchaChallenge("SHA-256", challenge, 1000, salt, Altcha.hmacHex(powKey, challenge)),
				number);
	}

	private static JWTClaimsSet genuineClaims(String id) {
		return new JWTClaimsSet.Builder().issuer("captcha-security")
			.jwtID(id)
			.issueTime(Date.from(START))
			.expirationTime(Date.from(START.plus(Duration.ofMinutes(5))))
			.claim("sk", SITE_KEY)
			.claim("ctype", "math")
			.build();
	}

	private static BufferedImage png(String base64) throws IOException {
		byte[] bytes = Base64.getDecoder().decode(base64);
		assertThat(HexFormat.of().formatHex(bytes, 0, 8)).isEqualTo("89504e470d0a1a0a");
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
		assertThat(image).isNotNull();
		return image;
	}

	private static BuiltinCaptchaException assertRefused(ThrowingCallable call, int status, String code) {
		Throwable thrown = catchThrowable(call);
		assertThat(thrown).isInstanceOf(BuiltinCaptchaException.class);
		BuiltinCaptchaException refused = (BuiltinCaptchaException) thrown;
		assertThat(refused.getStatus()).as("status").isEqualTo(status);
		assertThat(refused.getCode()).as("code").isEqualTo(code);
		assertThat(refused.getMessage()).as("detail").isNotBlank();
		if (status != 429) {
			assertThat(refused.getRetryAfter()).isNull();
		}
		return refused;
	}

}
