package io.github.captchasecurity.provider.builtin;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.captchasecurity.provider.ProviderJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * ALTCHA v2 proof of work, as altcha-lib 2.x and the {@code altcha} 3.x widget do it. A
 * challenge is {@code {"parameters": {...}, "signature": "..."}}: the signature is the
 * HMAC-SHA-256 (key: the secret's UTF-8 bytes) over the canonical JSON of the parameters
 * (keys sorted, as {@code JSON.stringify} writes them). The client looks for a counter
 * whose key, derived from {@code salt} and {@code nonce || uint32-big-endian(counter)},
 * starts with {@code keyPrefix}, and sends {@code {"challenge": {parameters, signature},
 * "solution": {"counter", "derivedKey"}}} base64-encoded. Supported derivations:
 * {@code SHA-256}/{@code SHA-384}/{@code SHA-512} ({@code cost} rounds of the hash, the
 * first over {@code salt || password}) and {@code PBKDF2/SHA-256}/{@code -384}/
 * {@code -512} ({@code cost} iterations). Challenges are created in altcha-lib's
 * deterministic mode: a random counter up to the maximum number, the prefix being the
 * first half of its key, so that the work is bounded like v1's {@code maxnumber}.
 * Bindings and our expiry travel in {@code parameters.data} and
 * {@code parameters.expiresAt}, covered by the signature.
 */
final class AltchaV2 {

	/** The default derivation: altcha-lib's and the widget's default. */
	static final String DEFAULT_ALGORITHM = "PBKDF2/SHA-256";

	/** The largest counter of the uint32 counter mode. */
	static final long MAX_COUNTER = 0xFFFF_FFFFL;

	private static final HexFormat HEX = HexFormat.of();

	private static final int KEY_LENGTH = 32;

	private AltchaV2() {
	}

	// Whether the derivation is one this class implements.
	static boolean supports(@Nullable String algorithm) {
		return algorithm != null && digestName(algorithm) != null;
	}

	// Create a signed challenge, in the shape of the generate API's answer: parameters
	// and signature.
	static Map<String, Object> create(byte[] hmacKey, String algorithm, int cost, int maxNumber, Instant expires,
			Map<String, String> data, RandomGenerator random) {
		byte[] nonce = new byte[16];
		byte[] salt = new byte[16];
		random.nextBytes(nonce);
		random.nextBytes(salt);
		long counter = random.nextInt(maxNumber + 1);
		byte[] key = deriveKey(algorithm, cost, KEY_LENGTH, salt, password(nonce, counter));
		Map<String, Object> parameters = new TreeMap<>();
		parameters.put("algorithm", algorithm);
		parameters.put("cost", cost);
		parameters.put("data", new TreeMap<>(data));
		parameters.put("expiresAt", expires.getEpochSecond());
		parameters.put("keyLength", KEY_LENGTH);
		parameters.put("keyPrefix", HEX.formatHex(key, 0, KEY_LENGTH / 2));
		parameters.put("nonce", HEX.formatHex(nonce));
		parameters.put("salt", HEX.formatHex(salt));
		String canonical = canonicalJson(ProviderJson.parseObject(ProviderJson.write(parameters)));
		Map<String, Object> challenge = new LinkedHashMap<>();
		challenge.put("parameters", parameters);
		challenge.put("signature", Altcha.hmacHex(hmacKey, canonical));
		return challenge;
	}

	// Solve a challenge by brute force, as the browser does (tests and benchmarks).
	static long solve(Map<String, Object> challenge) {
		Map<?, ?> parameters = (Map<?, ?>) challenge.get("parameters");
		String algorithm = (String) parameters.get("algorithm");
		int cost = (Integer) parameters.get("cost");
		byte[] salt = HEX.parseHex((String) parameters.get("salt"));
		byte[] nonce = HEX.parseHex((String) parameters.get("nonce"));
		byte[] prefix = HEX.parseHex((String) parameters.get("keyPrefix"));
		for (long counter = 0; counter <= MAX_COUNTER; counter++) {
			byte[] key = deriveKey(algorithm, cost, KEY_LENGTH, salt, password(nonce, counter));
			if (Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
				return counter;
			}
		}
		throw new IllegalStateException("no solution");
	}

	// The base64 payload the widget would send for a solved challenge.
	static String payload(Map<String, Object> challenge, long counter) {
		Map<?, ?> parameters = (Map<?, ?>) challenge.get("parameters");
		byte[] key = deriveKey((String) parameters.get("algorithm"), (Integer) parameters.get("cost"), KEY_LENGTH,
				HEX.parseHex((String) parameters.get("salt")),
				password(HEX.parseHex((String) parameters.get("nonce")), counter));
		Map<String, Object> solution = new LinkedHashMap<>();
		solution.put("counter", counter);
		solution.put("derivedKey", HEX.formatHex(key));
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("challenge", challenge);
		payload.put("solution", solution);
		return Base64.getEncoder().encodeToString(ProviderJson.write(payload));
	}

	// Verify a decoded v2 payload: the signature, then the expiry, then (when checkWork)
	// the solution.
	static Altcha.Verification verify(JsonNode json, byte[] hmacKey, Instant now, boolean checkWork) {
		JsonNode challenge = json.get("challenge");
		JsonNode parameters = challenge.get("parameters");
		String signature = ProviderJson.string(challenge, "signature");
		if (parameters == null || !parameters.isObject() || signature == null || !signature.matches("[0-9a-f]{64}")) {
			return Altcha.failed(Altcha.Failure.MALFORMED);
		}
		String canonical = canonicalJson(parameters);
		if (canonical == null) {
			return Altcha.failed(Altcha.Failure.MALFORMED);
		}
		if (!Altcha.constantTimeEquals(Altcha.hmacHex(hmacKey, canonical), signature)) {
			return Altcha.failed(Altcha.Failure.TAMPERED);
		}
		// signed by a holder of the key from here on; still refuse what we cannot check
		String algorithm = ProviderJson.string(parameters, "algorithm");
		String nonce = ProviderJson.string(parameters, "nonce");
		String salt = ProviderJson.string(parameters, "salt");
		String keyPrefix = ProviderJson.string(parameters, "keyPrefix");
		long cost = integer(parameters.get("cost"), 1, 10_000_000);
		long keyLength = integer(parameters.get("keyLength"), 1, 64);
		long expiresAt = integer(parameters.get("expiresAt"), 1, 999_999_999_999L);
		if (!supports(algorithm) || !isHex(nonce) || !isHex(salt) || cost < 0 || keyLength < 0 || expiresAt < 0
				|| keyPrefix == null || !keyPrefix.matches("[0-9a-fA-F]+") || keyPrefix.length() > 2 * keyLength) {
			return Altcha.failed(Altcha.Failure.MALFORMED);
		}
		Map<String, String> data = data(parameters.get("data"));
		if (data == null) {
			return Altcha.failed(Altcha.Failure.MALFORMED);
		}
		Instant expires = Instant.ofEpochSecond(expiresAt);
		if (now.isAfter(expires)) {
			return Altcha.failed(Altcha.Failure.EXPIRED);
		}
		if (checkWork && !solves(json.get("solution"), algorithm, (int) cost, (int) keyLength, HEX.parseHex(salt),
				HEX.parseHex(nonce), keyPrefix.toLowerCase(Locale.ROOT))) {
			return Altcha.failed(Altcha.Failure.TAMPERED);
		}
		return new Altcha.Verification(new Altcha.Solution("v2:" + signature, expires, data), null);
	}

	private static boolean solves(@Nullable JsonNode solution, String algorithm, int cost, int keyLength, byte[] salt,
			byte[] nonce, String keyPrefix) {
		if (solution == null || !solution.isObject()) {
			return false;
		}
		JsonNode counter = solution.get("counter");
		String derivedKey = ProviderJson.string(solution, "derivedKey");
		if (counter == null || !counter.isIntegralNumber() || !counter.canConvertToLong() || counter.longValue() < 0
				|| counter.longValue() > MAX_COUNTER || derivedKey == null
				|| !derivedKey.matches("(?:[0-9a-f]{2}){1,64}")) {
			return false;
		}
		String key = HEX.formatHex(deriveKey(algorithm, cost, keyLength, salt, password(nonce, counter.longValue())));
		return Altcha.constantTimeEquals(key, derivedKey) && key.startsWith(keyPrefix);
	}

	// data as strings, or null if it is not an object of scalars.
	private static @Nullable Map<String, String> data(@Nullable JsonNode data) {
		Map<String, String> values = new LinkedHashMap<>();
		if (data == null || data.isNull()) {
			return values;
		}
		if (!data.isObject()) {
			return null;
		}
		for (Map.Entry<String, JsonNode> entry : data.properties()) {
			JsonNode value = entry.getValue();
			if (value.isString()) {
				values.put(entry.getKey(), value.stringValue());
			}
			else if (value.isIntegralNumber() || value.isBoolean()) {
				values.put(entry.getKey(), value.asString());
			}
			else if (!value.isNull()) {
				return null;
			}
		}
		return Altcha.bindings(values);
	}

	private static long integer(@Nullable JsonNode node, long min, long max) {
		if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min
				|| node.longValue() > max) {
			return -1;
		}
		return node.longValue();
	}

	private static boolean isHex(@Nullable String value) {
		return value != null && value.length() <= 256 && value.matches("(?:[0-9a-fA-F]{2})*");
	}

	static byte[] password(byte[] nonce, long counter) {
		byte[] password = Arrays.copyOf(nonce, nonce.length + 4);
		password[nonce.length] = (byte) (counter >>> 24);
		password[nonce.length + 1] = (byte) (counter >>> 16);
		password[nonce.length + 2] = (byte) (counter >>> 8);
		password[nonce.length + 3] = (byte) counter;
		return password;
	}

	private static @Nullable String digestName(String algorithm) {
		return switch (algorithm) {
			case "SHA-256", "PBKDF2/SHA-256" -> "SHA-256";
			case "SHA-384", "PBKDF2/SHA-384" -> "SHA-384";
			case "SHA-512", "PBKDF2/SHA-512" -> "SHA-512";
			default -> null;
		};
	}

	// The key altcha-lib's deriveKey of the algorithm derives.
	static byte[] deriveKey(String algorithm, int cost, int keyLength, byte[] salt, byte[] password) {
		String digest = digestName(algorithm);
		if (digest == null) {
			throw new IllegalArgumentException("Unsupported algorithm");
		}
		return algorithm.startsWith("PBKDF2/") ? pbkdf2(digest, password, salt, cost, keyLength)
				: iteratedHash(digest, salt, password, Math.max(1, cost), keyLength);
	}

	private static byte[] iteratedHash(String digest, byte[] salt, byte[] password, int iterations, int keyLength) {
		try {
			MessageDigest md = MessageDigest.getInstance(digest);
			md.update(salt);
			byte[] key = md.digest(password);
			for (int i = 1; i < iterations; i++) {
				key = md.digest(key);
			}
			return Arrays.copyOf(key, Math.min(keyLength, key.length));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// PBKDF2 (RFC 8018) with HMAC over the digest: written out because the JDK's PBKDF2
	// takes a char[]
	// password, and ours is arbitrary bytes.
	private static byte[] pbkdf2(String digest, byte[] password, byte[] salt, int iterations, int keyLength) {
		try {
			Mac mac = Mac.getInstance("Hmac" + digest.replace("-", ""));
			mac.init(new SecretKeySpec(password, mac.getAlgorithm()));
			int hashLength = mac.getMacLength();
			byte[] out = new byte[keyLength];
			for (int block = 1, offset = 0; offset < keyLength; block++, offset += hashLength) {
				mac.update(salt);
				mac.update(new byte[] { (byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8),
						(byte) block });
				byte[] u = mac.doFinal();
				byte[] t = u.clone();
				for (int i = 1; i < iterations; i++) {
					u = mac.doFinal(u);
					for (int j = 0; j < t.length; j++) {
						t[j] ^= u[j];
					}
				}
				System.arraycopy(t, 0, out, offset, Math.min(hashLength, keyLength - offset));
			}
			return out;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// The JSON altcha-lib signs: JSON.stringify of the value with object keys sorted.
	// Null if the value
	// holds a number that is not an integer (whose JavaScript form we do not reproduce).
	static @Nullable String canonicalJson(@Nullable JsonNode node) {
		StringBuilder out = new StringBuilder();
		return (node != null && write(node, out, 0)) ? out.toString() : null;
	}

	private static boolean write(JsonNode node, StringBuilder out, int depth) {
		if (depth > 8) {
			return false;
		}
		if (node.isObject()) {
			TreeMap<String, JsonNode> sorted = new TreeMap<>();
			node.properties().forEach((entry) -> sorted.put(entry.getKey(), entry.getValue()));
			out.append('{');
			boolean first = true;
			for (Map.Entry<String, JsonNode> entry : sorted.entrySet()) {
				out.append(first ? "" : ",");
				first = false;
				string(entry.getKey(), out);
				out.append(':');
				if (!write(entry.getValue(), out, depth + 1)) {
					return false;
				}
			}
			out.append('}');
			return true;
		}
		if (node.isArray()) {
			out.append('[');
			for (int i = 0; i < node.size(); i++) {
				out.append((i > 0) ? "," : "");
				if (!write(node.get(i), out, depth + 1)) {
					return false;
				}
			}
			out.append(']');
			return true;
		}
		if (node.isString()) {
			string(node.stringValue(), out);
			return true;
		}
		if (node.isIntegralNumber()) {
			if (!node.canConvertToLong() || Math.abs(node.longValue()) > (1L << 53) - 1) {
				return false;
			}
			out.append(node.longValue());
			return true;
		}
		if (node.isBoolean()) {
			out.append(node.booleanValue());
			return true;
		}
		if (node.isNull()) {
			out.append("null");
			return true;
		}
		return false;
	}

	// A string as JSON.stringify writes it.
	private static void string(String value, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					boolean lone = Character.isSurrogate(c)
							&& !(Character.isHighSurrogate(c) && i + 1 < value.length()
									&& Character.isLowSurrogate(value.charAt(i + 1)))
							&& !(Character.isLowSurrogate(c) && i > 0
									&& Character.isHighSurrogate(value.charAt(i - 1)));
					if (c < 0x20 || lone) {
						out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
