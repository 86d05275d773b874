package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import io.github.captchasecurity.provider.ProviderJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AltchaV2}: the ALTCHA v2 proof of work of altcha-lib 2.x. The node
 * interop tests of the sample app check the same against altcha-lib itself.
 */
class AltchaV2Tests {

	private static final byte[] KEY = "a shared altcha-lib hmac key, 32+".getBytes(StandardCharsets.UTF_8);

	private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

	private final Random random = new Random(7);

	@ParameterizedTest
	@ValueSource(strings = { "SHA-256", "SHA-512", "PBKDF2/SHA-256", "PBKDF2/SHA-384" })
	void createWhenSolvedThenVerifyReturnsSolutionWithBindings(String algorithm) {
		Map<String, Object> challenge = create(algorithm, 3, Map.of("sk", "0011223344556677", "act", "login"));

		long counter = AltchaV2.solve(challenge);
		Altcha.Verification verification = Altcha.verify(AltchaV2.payload(challenge, counter), KEY, NOW);

		assertThat(verification.failure()).isNull();
		assertThat(verification.solution().challenge()).isEqualTo("v2:" + challenge.get("signature"));
		assertThat(verification.solution().expires()).isEqualTo(NOW.plusSeconds(300));
		assertThat(verification.solution().params()).containsEntry("sk", "0011223344556677")
			.containsEntry("act", "login");
	}

	@Test
	void pbkdf2MatchesTheJdkForATextPassword() throws Exception {
		// the JDK's PBKDF2 takes chars: compare where the password bytes are ASCII
		byte[] salt = "salt bytes".getBytes(StandardCharsets.UTF_8);
		byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
			.generateSecret(new PBEKeySpec("password".toCharArray(), salt, 1000, 32 * 8))
			.getEncoded();

		byte[] derived = AltchaV2.deriveKey("PBKDF2/SHA-256", 1000, 32, salt,
				"password".getBytes(StandardCharsets.UTF_8));

		assertThat(derived).isEqualTo(expected);
	}

	@Test
	void canonicalJsonSortsKeysAndEscapesAsJsonStringify() {
		JsonNode node = ProviderJson
			.parseObject("{\"b\":1,\"a\":{\"z\":null,\"y\":true},\"c\":\"q\\\"\\\\\\n\\u0001\\u00e9\\u2028\"}"
				.getBytes(StandardCharsets.UTF_8));

		assertThat(AltchaV2.canonicalJson(node))
			.isEqualTo("{\"a\":{\"y\":true,\"z\":null},\"b\":1,\"c\":\"q\\\"\\\\\\n\\u0001\u00e9\u2028\"}");
	}

	@Test
	void canonicalJsonRefusesFractions() {
		assertThat(AltchaV2.canonicalJson(ProviderJson.parseObject("{\"a\":1.5}".getBytes(StandardCharsets.UTF_8))))
			.isNull();
	}

	@Test
	void verifyWhenParametersChangedThenTampered() {
		Map<String, Object> challenge = create("SHA-256", 1, Map.of("sk", "0011223344556677"));
		ObjectNode payload = decode(AltchaV2.payload(challenge, AltchaV2.solve(challenge)));
		// an attacker lowers the work: a one-character prefix
		((ObjectNode) payload.get("challenge").get("parameters")).put("keyPrefix", "0");

		assertThat(Altcha.verify(encode(payload), KEY, NOW).failure()).isEqualTo(Altcha.Failure.TAMPERED);
	}

	@Test
	void verifyWhenBindingAddedToDataThenTampered() {
		Map<String, Object> challenge = create("SHA-256", 1, Map.of("sk", "0011223344556677"));
		ObjectNode payload = decode(AltchaV2.payload(challenge, AltchaV2.solve(challenge)));
		((ObjectNode) payload.get("challenge").get("parameters").get("data")).put("act", "login");

		assertThat(Altcha.verify(encode(payload), KEY, NOW).failure()).isEqualTo(Altcha.Failure.TAMPERED);
	}

	@Test
	void verifyWhenWrongCounterThenRefusedButPrecheckPasses() {
		Map<String, Object> challenge = create("PBKDF2/SHA-256", 10, Map.of("sk", "0011223344556677"));
		long counter = AltchaV2.solve(challenge);
		ObjectNode payload = decode(AltchaV2.payload(challenge, counter));
		((ObjectNode) payload.get("solution")).put("counter", counter + 1);

		assertThat(Altcha.verify(encode(payload), KEY, NOW).failure()).isEqualTo(Altcha.Failure.TAMPERED);
		assertThat(Altcha.verify(encode(payload), KEY, NOW, false).failure()).isNull();
	}

	@Test
	void verifyWhenSignedByAnotherKeyThenTampered() {
		Map<String, Object> challenge = create("SHA-256", 1, Map.of("sk", "0011223344556677"));
		String payload = AltchaV2.payload(challenge, AltchaV2.solve(challenge));

		assertThat(Altcha.verify(payload, "another key of thirty-two chars!".getBytes(StandardCharsets.UTF_8), NOW)
			.failure()).isEqualTo(Altcha.Failure.TAMPERED);
	}

	@Test
	void verifyWhenExpiredThenExpired() {
		Map<String, Object> challenge = create("SHA-256", 1, Map.of("sk", "0011223344556677"));
		String payload = AltchaV2.payload(challenge, AltchaV2.solve(challenge));

		assertThat(Altcha.verify(payload, KEY, NOW.plusSeconds(301)).failure()).isEqualTo(Altcha.Failure.EXPIRED);
	}

	@Test
	void verifyWhenDataNamesThePlainSiteKeyAndActionThenShortBindings() {
		Map<String, String> data = new LinkedHashMap<>();
		data.put("site_key", "demo-site-key");
		data.put("action", "login");
		Map<String, Object> challenge = create("SHA-256", 1, data);

		Altcha.Solution solution = Altcha.verify(AltchaV2.payload(challenge, AltchaV2.solve(challenge)), KEY, NOW)
			.solution();

		assertThat(solution.params()).containsEntry("sk", BuiltinCaptchaService.shortDigest("demo-site-key"))
			.containsEntry("act", "login")
			.doesNotContainKeys("site_key", "action");
	}

	@Test
	void verifyWhenBindingNamedTwiceThenMalformed() {
		Map<String, String> data = new LinkedHashMap<>();
		data.put("site_key", "demo-site-key");
		data.put("sk", "0011223344556677");
		Map<String, Object> challenge = create("SHA-256", 1, data);

		assertThat(Altcha.verify(AltchaV2.payload(challenge, AltchaV2.solve(challenge)), KEY, NOW).failure())
			.isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void v1SaltParametersAreUrlDecodedAsUrlSearchParamsWritesThem() {
		assertThat(Altcha.bindings(Altcha.params("abc?site_key=demo-site-key&action=login%2Fform&expires=1&")))
			.containsEntry("sk", BuiltinCaptchaService.shortDigest("demo-site-key"))
			.containsEntry("act", "login/form")
			.containsEntry("expires", "1");
	}

	private Map<String, Object> create(String algorithm, int cost, Map<String, String> data) {
		return AltchaV2.create(KEY, algorithm, cost, 2000, NOW.plusSeconds(300), data, this.random);
	}

	private static ObjectNode decode(String payload) {
		return (ObjectNode) ProviderJson.parseObject(Base64.getDecoder().decode(payload));
	}

	private static String encode(JsonNode payload) {
		return Base64.getEncoder().encodeToString(ProviderJson.write(payload));
	}

	static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
