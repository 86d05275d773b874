package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.captchasecurity.provider.ProviderJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Altcha}: the ALTCHA v1 proof of work (see {@code providers.md} section
 * 5). Hashes and HMACs are recomputed here with the JDK's {@link MessageDigest} and
 * {@link Mac}, independently of the code under test.
 */
class AltchaTests {

	private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

	private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

	private static final Instant EXPIRES = NOW.plusSeconds(300);

	private final Random random = new Random(7);

	@Test
	void createWhenSolvedThenVerifyReturnsSolution() {
		Altcha.AltchaChallenge challenge = create(Map.of("sk", "0011223344556677"));

		int number = Altcha.solve(challenge);
		Altcha.Verification verification = Altcha.verify(Altcha.payload(challenge, number), KEY, NOW);

		assertThat(verification.failure()).isNull();
		assertThat(verification.solution()).isNotNull();
		assertThat(verification.solution().challenge()).isEqualTo(challenge.challenge());
		assertThat(verification.solution().expires()).isEqualTo(EXPIRES);
		assertThat(verification.solution().params()).containsEntry("sk", "0011223344556677")
			.containsEntry("expires", Long.toString(EXPIRES.getEpochSecond()));
	}

	@Test
	void createThenChallengeMembersFollowAltchaV1() {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("sk", "abc");
		params.put("ip", "def");
		Altcha.AltchaChallenge challenge = create(params);

		assertThat(challenge.algorithm()).isEqualTo("SHA-256");
		assertThat(challenge.maxnumber()).isEqualTo(1000);
		assertThat(challenge.salt()).matches("[0-9a-f]{24}\\?expires=" + EXPIRES.getEpochSecond() + "&sk=abc&ip=def&");
		int number = Altcha.solve(challenge);
		assertThat(number).isBetween(0, 1000);
		assertThat(challenge.challenge()).isEqualTo(sha256Hex(challenge.salt() + number));
		assertThat(challenge.toMap()).containsOnlyKeys("algorithm", "challenge", "maxnumber", "salt", "signature")
			.containsEntry("maxnumber", 1000)
			.containsEntry("salt", challenge.salt());
	}

	@Test
	void createThenSignatureIsHmacSha256OfChallengeHex() throws Exception {
		Altcha.AltchaChallenge challenge = create(Map.of());

		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
		String expected = HexFormat.of().formatHex(mac.doFinal(challenge.challenge().getBytes(StandardCharsets.UTF_8)));

		assertThat(challenge.signature()).isEqualTo(expected).matches("[0-9a-f]{64}");
	}

	@Test
	void verifyWhenPayloadUrlSafeBase64ThenAccepted() {
		Altcha.AltchaChallenge challenge = create(Map.of());
		int number = Altcha.solve(challenge);
		byte[] json = Base64.getDecoder().decode(Altcha.payload(challenge, number));

		String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(json);

		assertThat(Altcha.verify(urlSafe, KEY, NOW).solution()).isNotNull();
	}

	@Test
	void verifyWhenExtraMembersThenIgnored() {
		Altcha.AltchaChallenge challenge = create(Map.of());
		Map<String, Object> payload = payloadMap(challenge, Altcha.solve(challenge));
		payload.put("took", 1234);

		assertThat(Altcha.verify(encode(payload), KEY, NOW).solution()).isNotNull();
	}

	@Test
	void verifyWhenOtherHmacKeyThenTampered() {
		Altcha.AltchaChallenge challenge = create(Map.of());

		Altcha.Verification verification = Altcha.verify(Altcha.payload(challenge, Altcha.solve(challenge)), OTHER_KEY,
				NOW);

		assertThat(verification.solution()).isNull();
		assertThat(verification.failure()).isEqualTo(Altcha.Failure.TAMPERED);
	}

	@Test
	void verifyWhenWrongNumberThenTampered() {
		Altcha.AltchaChallenge challenge = create(Map.of());
		int number = Altcha.solve(challenge);

		Altcha.Verification verification = Altcha.verify(Altcha.payload(challenge, number + 1), KEY, NOW);

		assertThat(verification.failure()).isEqualTo(Altcha.Failure.TAMPERED);
	}

	@Test
	void verifyWhenAtExpiryThenAcceptedAndAfterThenExpired() {
		Altcha.AltchaChallenge challenge = create(Map.of());
		String payload = Altcha.payload(challenge, Altcha.solve(challenge));

		assertThat(Altcha.verify(payload, KEY, EXPIRES).solution()).isNotNull();
		Altcha.Verification late = Altcha.verify(payload, KEY, EXPIRES.plusSeconds(1));
		assertThat(late.solution()).isNull();
		assertThat(late.failure()).isEqualTo(Altcha.Failure.EXPIRED);
	}

	@Test
	void verifyWhenSplicedDigitsFromNumberIntoSaltThenRefused() {
		// salt ends in '&' and the solution has at least two digits: move the leading
		// digits of the number to
		// the end of the salt. The string hashed, and so the challenge and its signature,
		// stay the same.
		Altcha.AltchaChallenge challenge = createWithNumberOfAtLeastTwoDigits();
		String number = Integer.toString(Altcha.solve(challenge));
		for (int split = 1; split < number.length(); split++) {
			String salt = challenge.salt() + number.substring(0, split);
			long rest = Long.parseLong(number.substring(split));
			assertThat(sha256Hex(salt + rest)).as("spliced hash input").isEqualTo(challenge.challenge());
			Map<String, Object> payload = payloadMap(challenge, rest);
			payload.put("salt", salt);

			Altcha.Verification verification = Altcha.verify(encode(payload), KEY, NOW);

			assertThat(verification.solution()).as("split at %d", split).isNull();
			assertThat(verification.failure()).isEqualTo(Altcha.Failure.MALFORMED);
		}
	}

	@Test
	void verifyWhenUndelimitedSaltCarriesExpiryDigitsThenRefused() {
		// the attack of CVE-2025-68113 on an undelimited salt: digits move from the
		// number into the salt (here
		// into its expires parameter) while the hashed string stays the same; undelimited
		// salts are refused
		String salt = "00112233445566778899aabb?expires=" + EXPIRES.getEpochSecond();
		int number = 57;
		String challenge = sha256Hex(salt + number);
		Map<String, Object> genuine = payloadMap(
				new Altcha.AltchaChallenge("SHA-256", challenge, 1000, salt, Altcha.hmacHex(KEY, challenge)), number);
		Map<String, Object> spliced = new LinkedHashMap<>(genuine);
		spliced.put("salt", salt + "5");
		spliced.put("number", 7);

		assertThat(Altcha.verify(encode(genuine), KEY, NOW).solution()).isNull();
		assertThat(Altcha.verify(encode(spliced), KEY, NOW).solution()).isNull();
		assertThat(Altcha.verify(encode(spliced), KEY, NOW).failure()).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void paramsWhenDelimitedSaltThenParsed() {
		assertThat(Altcha.params("abcdef?expires=1700000000&sk=0011&ip=ffee&"))
			.containsExactly(Map.entry("expires", "1700000000"), Map.entry("sk", "0011"), Map.entry("ip", "ffee"));
		assertThat(Altcha.params("abcdef?&&expires=1&&")).containsExactly(Map.entry("expires", "1"));
		assertThat(Altcha.params("abcdef?a=&")).containsExactly(Map.entry("a", ""));
		assertThat(Altcha.params("abcdef?a=b=c&")).containsExactly(Map.entry("a", "b=c"));
		assertThat(Altcha.params("abcdef?&")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abcdef", "abcdef&", "abcdef?expires=1", "abcdef?expires=1&sk=2", "abcdef?=1&",
			"abcdef?expires&", "abcdef?expires=1&expires=2&", "abcdef?sk=1&sk=1&" })
	void paramsWhenUndelimitedOrMalformedThenNull(String salt) {
		assertThat(Altcha.params(salt)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "!!!", "bm90IGpzb24=", "WzEsMl0=", "bnVsbA==", "e30=" })
	void verifyWhenNotABase64JsonObjectThenMalformed(String payload) {
		// "not json", "[1,2]", "null", "{}"
		assertThat(Altcha.verify(payload, KEY, NOW).failure()).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void verifyWhenPayloadLongerThan4096ThenMalformed() {
		Altcha.AltchaChallenge challenge = create(Map.of());
		Map<String, Object> payload = payloadMap(challenge, Altcha.solve(challenge));
		payload.put("padding", "x".repeat(4000));

		assertThat(Altcha.verify(encode(payload), KEY, NOW).failure()).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "algorithm", "challenge", "number", "salt", "signature" })
	void verifyWhenMemberMissingThenMalformed(String member) {
		Altcha.AltchaChallenge challenge = create(Map.of());
		Map<String, Object> payload = payloadMap(challenge, Altcha.solve(challenge));
		payload.remove(member);

		assertThat(Altcha.verify(encode(payload), KEY, NOW).failure()).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void verifyWhenNumberNotANonNegativeIntegerThenMalformed() {
		Altcha.AltchaChallenge challenge = create(Map.of());
		int number = Altcha.solve(challenge);
		for (Object bad : new Object[] { Integer.toString(number), (double) number + 0.5, -1, true }) {
			Map<String, Object> payload = payloadMap(challenge, number);
			payload.put("number", bad);

			assertThat(Altcha.verify(encode(payload), KEY, NOW).failure()).as("number %s", bad)
				.isEqualTo(Altcha.Failure.MALFORMED);
		}
	}

	@Test
	void verifyWhenNumberBeyondLongRangeThenMalformed() {
		Altcha.AltchaChallenge challenge = create(Map.of());
		String json = new String(ProviderJson.write(payloadMap(challenge, 1)), StandardCharsets.UTF_8)
			.replace("\"number\":1", "\"number\":100000000000000000000000");
		String payload = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));

		assertThat(Altcha.verify(payload, KEY, NOW).failure()).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void verifyWhenSaltHasNoExpiresThenMalformed() {
		String salt = "00112233445566778899aabb?sk=1&";
		String challenge = sha256Hex(salt + 3);
		Altcha.AltchaChallenge handMade = new Altcha.AltchaChallenge("SHA-256", challenge, 1000, salt,
				Altcha.hmacHex(KEY, challenge));

		assertThat(Altcha.verify(Altcha.payload(handMade, 3), KEY, NOW).failure()).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void verifyWhenAlgorithmSha1ThenMalformedEvenIfConsistent() throws Exception {
		String salt = "00112233445566778899aabb?expires=" + EXPIRES.getEpochSecond() + "&";
		String challenge = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-1").digest((salt + 3).getBytes(StandardCharsets.UTF_8)));
		Mac mac = Mac.getInstance("HmacSHA1");
		mac.init(new SecretKeySpec(KEY, "HmacSHA1"));
		String signature = HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));

		Altcha.Verification verification = Altcha
			.verify(Altcha.payload(new Altcha.AltchaChallenge("SHA-1", challenge, 1000, salt, signature), 3), KEY, NOW);

		assertThat(verification.solution()).isNull();
		assertThat(verification.failure()).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void constantTimeEqualsWhenComparedThenExact() {
		assertThat(Altcha.constantTimeEquals("abc", "abc")).isTrue();
		assertThat(Altcha.constantTimeEquals("abc", "abd")).isFalse();
		assertThat(Altcha.constantTimeEquals("abc", "abcd")).isFalse();
		assertThat(Altcha.constantTimeEquals("abc", "ABC")).isFalse();
	}

	private Altcha.AltchaChallenge create(Map<String, String> params) {
		return Altcha.create(KEY, 1000, EXPIRES, new LinkedHashMap<>(params), this.random);
	}

	private Altcha.AltchaChallenge createWithNumberOfAtLeastTwoDigits() {
		for (int attempt = 0; attempt < 100; attempt++) {
			Altcha.AltchaChallenge challenge = create(Map.of("sk", "0011223344556677"));
			if (Altcha.solve(challenge) >= 10) {
				return challenge;
			}
		}
		throw new IllegalStateException("no challenge with a number of two digits or more");
	}

	private static Map<String, Object> payloadMap(Altcha.AltchaChallenge challenge, long number) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("algorithm", challenge.algorithm());
		payload.put("challenge", challenge.challenge());
		payload.put("number", number);
		payload.put("salt", challenge.salt());
		payload.put("signature", challenge.signature());
		return payload;
	}

	private static String encode(Map<String, Object> payload) {
		return Base64.getEncoder().encodeToString(ProviderJson.write(payload));
	}

	private static String sha256Hex(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
