package io.github.captchasecurity.provider.builtin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.captchasecurity.provider.ProviderJson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the streaming read of ALTCHA v1 payloads and the in-place scan of their
 * salts: every document and salt gets the verdict of the tree-based reading it replaced
 * (recomputed here: {@link ProviderJson#parseObject(byte[])} with strict duplicate
 * detection, then {@code bindings(params(salt))}), in particular where the fast read
 * skips duplicate detection.
 */
class AltchaPayloadReadingTests {

	private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

	private static final Instant EXPIRES = NOW.plusSeconds(300);

	private final Altcha.AltchaChallenge challenge = Altcha.create(KEY, 1000, EXPIRES, Map.of("sk", "0011223344556677"),
			new Random(11));

	private final int number = Altcha.solve(this.challenge);

	@Test
	void verifyWhenV1MemberGivenTwiceThenMalformed() {
		// the fast read has no duplicate detection: a repeated member must send it to
		// the strict read, whatever the second value is
		for (String member : List.of("algorithm", "challenge", "number", "salt", "signature")) {
			String same = members().replace("}", "," + quote(member) + ":" + valueOf(member) + "}");
			String other = members().replace("}", "," + quote(member) + ":" + quote("x") + "}");

			assertThat(verify(same)).as("%s twice, same value", member).isEqualTo(Altcha.Failure.MALFORMED);
			assertThat(verify(other)).as("%s twice, other value", member).isEqualTo(Altcha.Failure.MALFORMED);
			assertThat(precheck(same)).as("%s twice, precheck", member).isEqualTo(Altcha.Failure.MALFORMED);
		}
	}

	@Test
	void verifyWhenKeyGivenTwiceInsideAnExtraMemberThenMalformed() {
		assertThat(verify(members().replace("}", ",\"x\":1,\"x\":2}"))).isEqualTo(Altcha.Failure.MALFORMED);
		assertThat(verify(members().replace("}", ",\"x\":{\"a\":1,\"a\":2}}"))).isEqualTo(Altcha.Failure.MALFORMED);
		assertThat(verify(members().replace("}", ",\"x\":[{\"b\":{\"a\":1,\"a\":[]}}]}")))
			.isEqualTo(Altcha.Failure.MALFORMED);
		assertThat(verify("{\"x\":{\"a\":1,\"a\":2}," + members().substring(1))).isEqualTo(Altcha.Failure.MALFORMED);
	}

	@Test
	void verifyWhenExtraMembersOfAnyShapeThenIgnored() {
		assertThat(verify(members().replace("}", ",\"x\":{\"a\":[1,{\"b\":null}]},\"y\":[true]}"))).isNull();
		assertThat(verify("{\"x\":\"y\"," + members().substring(1))).isNull();
		assertThat(precheck(members().replace("}", ",\"x\":{\"a\":1}}"))).isNull();
	}

	@Test
	void verifyWhenAnyDocumentThenSameVerdictAsTheTreeReading() {
		List<byte[]> documents = new ArrayList<>();
		String members = members();
		documents.add(utf8(members));
		documents.add(utf8(" \n" + members + " \t"));
		documents.add(utf8(members.replace("\"SHA-256\"", "\"SHA\\u002d256\"")));
		for (String member : List.of("algorithm", "challenge", "number", "salt", "signature")) {
			for (String value : List.of("1", "-1", "1.0", "1e0", "true", "null", "\"\"", "\" \"", "[]", "[1]", "{}",
					"\"" + this.number + "\"", this.number + ".0", this.number + "e0", "-0", "100000000000000000000",
					"9223372036854775807", "-9223372036854775808")) {
				if (member.equals("challenge") && value.startsWith("{")) {
					continue; // a v2 payload
				}
				documents.add(utf8(with(member, value)));
			}
			documents.add(utf8(without(member)));
		}
		for (String broken : List.of("", " ", "null", "[]", "\"x\"", "1", "{", "}", "{}", "{\"algorithm\"}",
				members + " x", members + "{}", members + "]", members + ",", members.replace("}", ",}"),
				members.replace(",", ",,"), members.replace("\"algorithm\"", "'algorithm'"),
				members.replace("\"algorithm\"", "algorithm"), "/* c */" + members, members.replace("}", ",\"x\":NaN}"),
				members.replace("}", ",\"x\":01}"), members.replace("}", ",\"x\":\"\u0001\"}"),
				members.replace("}", ",\"x\":\"\\q\"}"),
				members.replace("}", ",\"x\":" + "[".repeat(600) + "]".repeat(600) + "}"),
				members.replace("}", ",\"x\":" + "[".repeat(1200) + "]".repeat(1200) + "}"),
				members.replace("}", ",\"x\":" + "[".repeat(3) + "}"))) {
			documents.add(utf8(broken));
		}
		ByteArrayOutputStream invalidUtf8 = new ByteArrayOutputStream();
		invalidUtf8.writeBytes(utf8(members.replace("}", ",\"x\":\"")));
		invalidUtf8.write(0xff);
		invalidUtf8.writeBytes(utf8("\"}"));
		documents.add(invalidUtf8.toByteArray());

		for (byte[] document : documents) {
			String encoded = Base64.getEncoder().encodeToString(document);
			String text = new String(document, StandardCharsets.UTF_8);
			assertThat(Altcha.verify(encoded, KEY, NOW).failure()).as(text).isEqualTo(treeVerdict(document));
			assertThat(Altcha.verify(encoded, KEY, NOW, false).failure()).as(text).isEqualTo(treeVerdict(document));
		}
	}

	@Test
	void scanWhenAnySaltThenSameAsParamsAndBindings() {
		String[] parts = { "expires=", "sk=", "site_key=", "action=", "act=", "ip=", "a=", "&", "=", "?", "%41", "%",
				"+", "1", "17000", "x", "expires=1700000000&", "sk=ab&", "" };
		Random random = new Random(3);
		List<String> salts = new ArrayList<>(List.of("ab?expires=1&", "ab?expires=1700000000&sk=00&ip=ff&act=login&",
				"ab?site_key=demo&action=log%2Fin&expires=1&", "ab?expires=1&site_key=a&sk=b&",
				"ab?expires=1&action=a&act=b&", "ab?expires=1234567890123&", "ab?expires=&", "ab?expires=1x&",
				"ab?expires=1&expires=1&", "ab?expires=1&%65xpires=1&", "ab?ex+pires=1&",
				"ab?expires=1&" + "a=1&".repeat(20), "ab?expires=1&" + "a=1&".repeat(15), "ab?expires=1", "ab&", "?&",
				"?expires=1&", "a?b?expires=1&"));
		for (int i = 0; i < 20_000; i++) {
			StringBuilder salt = new StringBuilder("0a1b?");
			int length = random.nextInt(8);
			for (int j = 0; j < length; j++) {
				salt.append(parts[random.nextInt(parts.length)]);
			}
			salts.add((random.nextInt(4) == 0) ? salt.toString() : salt.append('&').toString());
			for (int j = 0; j < 16; j++) {
				salt.append((char) ('a' + j)).append("=1&");
			}
			salts.add(salt.toString());
		}
		for (String salt : salts) {
			Map<String, String> expected = Altcha.bindings(Altcha.params(salt));
			boolean accepted = expected != null && expected.containsKey("expires")
					&& expected.get("expires").matches("\\d{1,12}");
			Altcha.Salt scanned = Altcha.Salt.scan(salt);

			assertThat(scanned != null).as(salt).isEqualTo(accepted);
			if (scanned != null) {
				assertThat(scanned.expires()).as(salt).isEqualTo(Long.parseLong(expected.get("expires")));
				assertThat(new ArrayList<>(scanned.bindings().entrySet())).as(salt)
					.isEqualTo(new ArrayList<>(expected.entrySet()));
				assertThat(scanned.bindings()).as(salt).isEqualTo(expected);
				for (String name : List.of("expires", "sk", "site_key", "act", "action", "ip", "a", "x", "")) {
					assertThat(scanned.bindings().get(name)).as("%s in %s", name, salt).isEqualTo(expected.get(name));
					assertThat(scanned.bindings().containsKey(name)).as("%s in %s", name, salt)
						.isEqualTo(expected.containsKey(name));
				}
			}
		}
	}

	@Test
	void scanWhenSiteKeyAndActionGivenPlainThenShortNames() {
		Altcha.Salt scanned = Altcha.Salt.scan("ab?site_key=demo-site-key&action=login&expires=1&");

		assertThat(scanned).isNotNull();
		assertThat(scanned.bindings()).containsEntry("sk", BuiltinCaptchaService.shortDigest("demo-site-key"))
			.containsEntry("act", "login")
			.doesNotContainKey("site_key")
			.doesNotContainKey("action");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> scanned.bindings().put("sk", "0011223344556677"));
	}

	@Test
	void constantTimeEqualsOfBytesAndStringWhenComparedThenExact() {
		byte[] abc = utf8("abc");

		assertThat(Altcha.constantTimeEquals(abc, "abc")).isTrue();
		assertThat(Altcha.constantTimeEquals(abc, "abd")).isFalse();
		assertThat(Altcha.constantTimeEquals(abc, "ab")).isFalse();
		assertThat(Altcha.constantTimeEquals(abc, "abcd")).isFalse();
		assertThat(Altcha.constantTimeEquals(abc, "ABC")).isFalse();
		assertThat(Altcha.constantTimeEquals(abc, "ab\u0163")).isFalse();
		assertThat(Altcha.constantTimeEquals(abc, "")).isFalse();
	}

	private Altcha.@Nullable Failure verify(String json) {
		return Altcha.verify(Base64.getEncoder().encodeToString(utf8(json)), KEY, NOW).failure();
	}

	private Altcha.@Nullable Failure precheck(String json) {
		return Altcha.verify(Base64.getEncoder().encodeToString(utf8(json)), KEY, NOW, false).failure();
	}

	// The v1 verdict of the tree-based reading (before the streaming read).
	private static Altcha.@Nullable Failure treeVerdict(byte[] document) {
		JsonNode json = ProviderJson.parseObject(document);
		if (json == null) {
			return Altcha.Failure.MALFORMED;
		}
		String algorithm = ProviderJson.string(json, "algorithm");
		String challenge = ProviderJson.string(json, "challenge");
		String salt = ProviderJson.string(json, "salt");
		String signature = ProviderJson.string(json, "signature");
		JsonNode number = json.get("number");
		if (!"SHA-256".equals(algorithm) || challenge == null || challenge.isBlank() || salt == null || salt.isBlank()
				|| signature == null || signature.isBlank() || number == null || !number.isIntegralNumber()
				|| !number.canConvertToLong() || number.longValue() < 0) {
			return Altcha.Failure.MALFORMED;
		}
		Map<String, String> params = Altcha.bindings(Altcha.params(salt));
		if (params == null || !params.containsKey("expires") || !params.get("expires").matches("\\d{1,12}")) {
			return Altcha.Failure.MALFORMED;
		}
		String expected = sha256Hex(salt + number.longValue());
		if (!expected.equals(challenge) || !Altcha.hmacHex(KEY, expected).equals(signature)) {
			return Altcha.Failure.TAMPERED;
		}
		return NOW.isAfter(Instant.ofEpochSecond(Long.parseLong(params.get("expires")))) ? Altcha.Failure.EXPIRED
				: null;
	}

	private String members() {
		return json(entries());
	}

	private Map<String, String> entries() {
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("algorithm", quote(this.challenge.algorithm()));
		entries.put("challenge", quote(this.challenge.challenge()));
		entries.put("number", Integer.toString(this.number));
		entries.put("salt", quote(this.challenge.salt()));
		entries.put("signature", quote(this.challenge.signature()));
		return entries;
	}

	private String valueOf(String member) {
		return entries().get(member);
	}

	private String with(String member, String value) {
		Map<String, String> entries = entries();
		entries.put(member, value);
		return json(entries);
	}

	private String without(String member) {
		Map<String, String> entries = entries();
		entries.remove(member);
		return json(entries);
	}

	private static String json(Map<String, String> entries) {
		List<String> members = new ArrayList<>();
		entries.forEach((name, value) -> members.add(quote(name) + ":" + value));
		return "{" + String.join(",", members) + "}";
	}

	private static String quote(String value) {
		return "\"" + value + "\"";
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
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
