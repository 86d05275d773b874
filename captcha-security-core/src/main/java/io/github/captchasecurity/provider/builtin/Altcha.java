package io.github.captchasecurity.provider.builtin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.captchasecurity.provider.ProviderJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * ALTCHA v1 proof of work: SHA-256 over {@code salt + number}, an HMAC-SHA-256 signature
 * over the challenge hex, and a salt that carries its expiry (and our bindings) as
 * {@code ?key=value&} parameters and always ends in {@code &} (the CVE-2025-68113
 * splicing fix: undelimited salts are refused). {@link #verify} also takes v2 payloads
 * ({@link AltchaV2}).
 */
final class Altcha {

	static final String ALGORITHM = "SHA-256";

	private static final HexFormat HEX = HexFormat.of();

	private static final Pattern EXPIRES = Pattern.compile("\\d{1,12}");

	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	});

	private static final ThreadLocal<CachedMac> HMAC = ThreadLocal.withInitial(CachedMac::new);

	private Altcha() {
	}

	static AltchaChallenge create(byte[] hmacKey, int maxNumber, Instant expires, Map<String, String> params,
			RandomGenerator random) {
		byte[] saltBytes = new byte[12];
		random.nextBytes(saltBytes);
		StringBuilder salt = new StringBuilder(HEX.formatHex(saltBytes)).append("?expires=")
			.append(expires.getEpochSecond())
			.append('&');
		params.forEach((key, value) -> salt.append(key).append('=').append(value).append('&'));
		int number = random.nextInt(maxNumber + 1);
		String challenge = sha256Hex(salt + Integer.toString(number));
		return new AltchaChallenge(ALGORITHM, challenge, maxNumber, salt.toString(), hmacHex(hmacKey, challenge));
	}

	/**
	 * Solve a challenge by brute force, as the browser does (tests and benchmarks).
	 * @param challenge the challenge to solve
	 * @return the secret number
	 */
	static int solve(AltchaChallenge challenge) {
		for (int number = 0; number <= challenge.maxnumber(); number++) {
			if (sha256Hex(challenge.salt() + number).equals(challenge.challenge())) {
				return number;
			}
		}
		throw new IllegalStateException("no solution");
	}

	static String payload(AltchaChallenge challenge, long number) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("algorithm", challenge.algorithm());
		payload.put("challenge", challenge.challenge());
		payload.put("number", number);
		payload.put("salt", challenge.salt());
		payload.put("signature", challenge.signature());
		return Base64.getEncoder().encodeToString(ProviderJson.write(payload));
	}

	static Verification verify(String payload, byte[] hmacKey, Instant now) {
		return verify(payload, hmacKey, now, true);
	}

	// Verify a v1 or a v2 payload (a v2 payload's challenge is an object). Without
	// checkWork a v2 solution
	// is not derived again (the signature and expiry are checked): what a precheck can
	// afford.
	static Verification verify(String payload, byte[] hmacKey, Instant now, boolean checkWork) {
		JsonNode json = decode(payload);
		if (json == null) {
			return failed(Failure.MALFORMED);
		}
		JsonNode v2 = json.get("challenge");
		if (v2 != null && v2.isObject()) {
			return AltchaV2.verify(json, hmacKey, now, checkWork);
		}
		String algorithm = ProviderJson.string(json, "algorithm");
		String challenge = ProviderJson.string(json, "challenge");
		String salt = ProviderJson.string(json, "salt");
		String signature = ProviderJson.string(json, "signature");
		JsonNode number = json.get("number");
		if (!ALGORITHM.equals(algorithm) || isBlank(challenge) || isBlank(salt) || isBlank(signature) || number == null
				|| !number.isIntegralNumber() || !number.canConvertToLong() || number.longValue() < 0) {
			return failed(Failure.MALFORMED);
		}
		Map<String, String> params = bindings(params(salt));
		if (params == null || !params.containsKey("expires") || !EXPIRES.matcher(params.get("expires")).matches()) {
			return failed(Failure.MALFORMED);
		}
		String expected = sha256Hex(salt + number.longValue());
		if (!constantTimeEquals(expected, challenge) || !constantTimeEquals(hmacHex(hmacKey, expected), signature)) {
			return failed(Failure.TAMPERED);
		}
		Instant expires = Instant.ofEpochSecond(Long.parseLong(params.get("expires")));
		if (now.isAfter(expires)) {
			return failed(Failure.EXPIRED);
		}
		return new Verification(new Solution(expected, expires, params), null);
	}

	/**
	 * The salt's parameters (URL-decoded, as altcha-lib encodes them with
	 * {@code URLSearchParams}), or null if it is not delimited with a final {@code &} or
	 * a parameter is given twice or badly encoded.
	 * @param salt the salt of a challenge
	 * @return the parameters by name, or null
	 */
	static @Nullable Map<String, String> params(String salt) {
		int question = salt.indexOf('?');
		if (question < 0 || !salt.endsWith("&")) {
			return null;
		}
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : salt.substring(question + 1).split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				return null;
			}
			try {
				String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
				if (params.put(name, URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8)) != null) {
					return null;
				}
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		return params;
	}

	// The bindings in our short names: sk (the site key's short digest), act and ip.
	// Challenges minted
	// elsewhere (altcha-lib with the shared HMAC key) may name the plain site key
	// site_key and the action
	// action; a binding given under both names is refused (null), as is null in.
	static @Nullable Map<String, String> bindings(@Nullable Map<String, String> params) {
		if (params == null) {
			return null;
		}
		Map<String, String> bindings = new LinkedHashMap<>(params);
		String siteKey = bindings.remove("site_key");
		if (siteKey != null) {
			if (bindings.containsKey("sk")) {
				return null;
			}
			bindings.put("sk", BuiltinCaptchaService.shortDigest(siteKey));
		}
		String action = bindings.remove("action");
		if (action != null) {
			if (bindings.containsKey("act")) {
				return null;
			}
			bindings.put("act", action);
		}
		return bindings;
	}

	private static @Nullable JsonNode decode(String payload) {
		if (payload.length() > 4096) {
			return null;
		}
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(payload);
		}
		catch (IllegalArgumentException ex) {
			try {
				bytes = Base64.getUrlDecoder().decode(payload);
			}
			catch (IllegalArgumentException again) {
				return null;
			}
		}
		return ProviderJson.parseObject(bytes);
	}

	static Verification failed(Failure failure) {
		return new Verification(null, failure);
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	static boolean constantTimeEquals(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

	static String sha256Hex(String value) {
		MessageDigest sha256 = SHA256.get();
		sha256.reset();
		return HEX.formatHex(sha256.digest(value.getBytes(StandardCharsets.UTF_8)));
	}

	static String hmacHex(byte[] key, String value) {
		return HEX.formatHex(hmac(key, value.getBytes(StandardCharsets.UTF_8)));
	}

	static byte[] hmac(byte[] key, byte[] value) {
		return HMAC.get().mac(key).doFinal(value);
	}

	/**
	 * A thread's {@code Mac}, initialised again only when the key changes: looking up and
	 * initialising a {@code Mac} costs more than the HMAC of a short challenge.
	 */
	private static final class CachedMac {

		private final Mac mac;

		private byte[] key = new byte[0];

		CachedMac() {
			try {
				this.mac = Mac.getInstance("HmacSHA256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		Mac mac(byte[] key) {
			if (!MessageDigest.isEqual(this.key, key)) {
				try {
					this.mac.init(new SecretKeySpec(key, "HmacSHA256"));
				}
				catch (InvalidKeyException ex) {
					throw new IllegalStateException(ex);
				}
				this.key = key.clone();
			}
			else {
				this.mac.reset();
			}
			return this.mac;
		}

	}

	/**
	 * A challenge as sent to the browser.
	 *
	 * @param algorithm the hash algorithm, always {@code SHA-256}
	 * @param challenge the hex hash of the salt followed by the secret number
	 * @param maxnumber the largest number the browser tries
	 * @param salt the random salt, followed by the expiry and parameters
	 * @param signature the hex HMAC of the challenge, so that the server need not store
	 * it
	 */
	record AltchaChallenge(String algorithm, String challenge, int maxnumber, String salt, String signature) {

		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("algorithm", this.algorithm);
			map.put("challenge", this.challenge);
			map.put("maxnumber", this.maxnumber);
			map.put("salt", this.salt);
			map.put("signature", this.signature);
			return map;
		}

	}

	/**
	 * The facts of a payload whose hash and signature check out.
	 *
	 * @param challenge the solved challenge, unique per challenge (the replay key)
	 * @param expires when the challenge expires
	 * @param params the parameters carried in the salt
	 */
	record Solution(String challenge, Instant expires, Map<String, String> params) {
	}

	/** Why a payload was refused. */
	enum Failure {

		MALFORMED, TAMPERED, EXPIRED

	}

	/**
	 * A verification outcome: a solution, or a failure.
	 *
	 * @param solution the solution, or null if the payload was refused
	 * @param failure why the payload was refused, or null if it was accepted
	 */
	record Verification(@Nullable Solution solution, @Nullable Failure failure) {
	}

}
