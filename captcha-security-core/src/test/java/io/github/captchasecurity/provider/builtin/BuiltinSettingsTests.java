package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.captchasecurity.TokenDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BuiltinSettings}, {@link SiteKeys} and {@link ChallengeType}:
 * defaults, validation and site key matching.
 */
class BuiltinSettingsTests {

	private static final byte[] KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	@Test
	void buildWhenDefaultsThenDocumentedValues() {
		BuiltinSettings settings = BuiltinSettings.builder(KEY).build();

		assertThat(settings.siteKeys()).isEmpty();
		assertThat(settings.challengeTtl()).isEqualTo(Duration.ofMinutes(5));
		assertThat(settings.tokenTtl()).isEqualTo(Duration.ofMinutes(5));
		assertThat(settings.generatePerHour()).isEqualTo(100);
		assertThat(settings.validatePerHour()).isEqualTo(200);
		assertThat(settings.bindIp()).isFalse();
		assertThat(settings.imageLength()).isEqualTo(5);
		assertThat(settings.imageWidth()).isEqualTo(160);
		assertThat(settings.imageHeight()).isEqualTo(60);
		assertThat(settings.mathAsImage()).isFalse();
		assertThat(settings.powMaxNumber()).isEqualTo(100_000);
	}

	@Test
	void builderWhenKeyShorterThan256BitsThenIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> BuiltinSettings.builder(new byte[31]))
			.withMessageContaining("256 bits");
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> BuiltinSettings.builder(null));
	}

	@Test
	void buildWhenKeyArrayChangedLaterThenSettingsUnaffected() {
		byte[] key = KEY.clone();
		BuiltinSettings.Builder builder = BuiltinSettings.builder(key);

		key[0] ^= 1;

		assertThat(Arrays.equals(builder.build().signingKey(), KEY)).isTrue();
	}

	@Test
	void siteKeysWhenPlainAndDigestThenTrimmedAndKept() {
		String digest = "sha256:" + TokenDigest.sha256Hex("hashed");

		BuiltinSettings settings = BuiltinSettings.builder(KEY).siteKeys(List.of(" plain ", digest)).build();

		assertThat(settings.siteKeys()).containsExactlyInAnyOrder("plain", digest);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "sha256:abc", "sha256:", "SHA256:zz" })
	void siteKeysWhenBlankOrMalformedDigestThenIllegalArgumentException(String key) {
		assertThatIllegalArgumentException().isThrownBy(() -> BuiltinSettings.builder(KEY).siteKeys(List.of(key)));
	}

	@ParameterizedTest
	@CsvSource({ "0, 1", "1, 0", "-1, 5" })
	void limitsWhenBelowOneThenIllegalArgumentException(int generate, int validate) {
		assertThatIllegalArgumentException().isThrownBy(() -> BuiltinSettings.builder(KEY).limits(generate, validate));
	}

	@ParameterizedTest
	@CsvSource({ "2, 160, 60", "11, 160, 60", "5, 59, 60", "5, 1001, 60", "5, 160, 29", "5, 160, 401" })
	void imageWhenOutOfBoundsThenIllegalArgumentException(int length, int width, int height) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BuiltinSettings.builder(KEY).image(length, width, height));
	}

	@ParameterizedTest
	@ValueSource(ints = { 999, 10_000_001, 0, -5 })
	void powMaxNumberWhenOutOfBoundsThenIllegalArgumentException(int maxNumber) {
		assertThatIllegalArgumentException().isThrownBy(() -> BuiltinSettings.builder(KEY).powMaxNumber(maxNumber));
	}

	@Test
	void ttlsWhenZeroOrNegativeThenIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> BuiltinSettings.builder(KEY).challengeTtl(Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BuiltinSettings.builder(KEY).tokenTtl(Duration.ofSeconds(-1)));
	}

	@Test
	void siteKeysMatchesWhenPlainOrDigestConfiguredThenPlainKeyMatches() {
		SiteKeys keys = new SiteKeys(Set.of("plain", "sha256:" + TokenDigest.sha256Hex("hashed"),
				"SHA256:" + TokenDigest.sha256Hex("upper").toUpperCase(Locale.ROOT)));

		assertThat(keys.matches("plain")).isTrue();
		assertThat(keys.matches("hashed")).isTrue();
		assertThat(keys.matches("upper")).isTrue();
		assertThat(keys.matches("Plain")).isFalse();
		assertThat(keys.matches("sha256:" + TokenDigest.sha256Hex("hashed"))).isFalse();
		assertThat(keys.matches("")).isFalse();
		assertThat(keys.matches(null)).isFalse();
		assertThat(keys.matches("x".repeat(257))).isFalse();
		assertThat(keys.isEmpty()).isFalse();
		assertThat(new SiteKeys(Set.of()).isEmpty()).isTrue();
	}

	@Test
	void siteKeysMatchesShortDigestWhenPrefixOfConfiguredDigestThenTrue() {
		SiteKeys keys = new SiteKeys(Set.of("plain", "sha256:" + TokenDigest.sha256Hex("hashed")));

		assertThat(keys.matchesShortDigest(TokenDigest.sha256Hex("plain").substring(0, 16))).isTrue();
		assertThat(keys.matchesShortDigest(TokenDigest.sha256Hex("hashed").substring(0, 16))).isTrue();
		assertThat(keys.matchesShortDigest(TokenDigest.sha256Hex("other").substring(0, 16))).isFalse();
		assertThat(keys.matchesShortDigest(TokenDigest.sha256Hex("plain"))).isFalse();
		assertThat(keys.matchesShortDigest("")).isFalse();
	}

	@Test
	void challengeTypeFromWireNameWhenKnownIgnoringCaseThenType() {
		assertThat(ChallengeType.fromWireName("grid")).isEqualTo(ChallengeType.GRID);
		assertThat(ChallengeType.fromWireName(" POW ")).isEqualTo(ChallengeType.POW);
		assertThat(ChallengeType.fromWireName("audio")).isNull();
		assertThat(ChallengeType.fromWireName(null)).isNull();
		assertThat(ChallengeType.IMAGE.wireName()).isEqualTo("image");
	}

}
