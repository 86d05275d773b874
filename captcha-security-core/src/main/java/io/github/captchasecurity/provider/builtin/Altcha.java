package io.github.captchasecurity.provider.builtin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import io.github.captchasecurity.provider.ProviderJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
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

	private static final int MAX_PAYLOAD = 4096;

	private static final int SCANNED_PAIRS = 16;

	private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final JsonFactory STRICT_JSON = JsonFactory.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	// Without duplicate detection: for payloads of the five v1 members only, each given
	// once with a scalar value, which cannot hold a key twice.
	private static final JsonFactory FAST_JSON = JsonFactory.builder()
		.disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Altcha::sha256);

	private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
	// checkWork a v2 solution is not derived again (the signature and expiry are
	// checked): what a precheck can afford. A v1 payload is read with a streaming parser
	// (no tree), its
	// salt scanned in place; a v2 payload is read into a tree.
	static Verification verify(String payload, byte[] hmacKey, Instant now, boolean checkWork) {
		byte[] bytes = decode(payload);
		V1Members members = (bytes != null) ? V1Members.read(bytes) : null;
		if (bytes == null || members == null) {
			return failed(Failure.MALFORMED);
		}
		if (members.v2) {
			JsonNode json = ProviderJson.parseObject(bytes);
			return (json != null) ? AltchaV2.verify(json, hmacKey, now, checkWork) : failed(Failure.MALFORMED);
		}
		String challenge = members.challenge;
		String salt = members.salt;
		String signature = members.signature;
		if (!ALGORITHM.equals(members.algorithm) || isBlank(challenge) || isBlank(salt) || isBlank(signature)
				|| members.number < 0) {
			return failed(Failure.MALFORMED);
		}
		Salt scanned = Salt.scan(salt);
		if (scanned == null) {
			return failed(Failure.MALFORMED);
		}
		Scratch scratch = SCRATCH.get();
		byte[] expected = scratch.challengeHex(salt, members.number);
		if (!constantTimeEquals(expected, challenge)
				|| !constantTimeEquals(scratch.hmacHex(hmacKey, expected), signature)) {
			return failed(Failure.TAMPERED);
		}
		Instant expires = Instant.ofEpochSecond(scanned.expires());
		if (now.isAfter(expires)) {
			return failed(Failure.EXPIRED);
		}
		return new Verification(new Solution(challenge, expires, scanned.bindings()), null);
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
		return rename(bindings) ? bindings : null;
	}

	// Rename site_key and action to our short names in place; false if a binding is
	// given under both names.
	private static boolean rename(Map<String, String> bindings) {
		String siteKey = bindings.remove("site_key");
		if (siteKey != null) {
			if (bindings.containsKey("sk")) {
				return false;
			}
			bindings.put("sk", BuiltinCaptchaService.shortDigest(siteKey));
		}
		String action = bindings.remove("action");
		if (action != null) {
			if (bindings.containsKey("act")) {
				return false;
			}
			bindings.put("act", action);
		}
		return true;
	}

	private static byte @Nullable [] decode(String payload) {
		if (payload.length() > MAX_PAYLOAD) {
			return null;
		}
		try {
			return Base64.getDecoder().decode(payload);
		}
		catch (IllegalArgumentException ex) {
			try {
				return Base64.getUrlDecoder().decode(payload);
			}
			catch (IllegalArgumentException again) {
				return null;
			}
		}
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

	// Whether the ASCII bytes spell actual, in a time that depends on their length only
	// (as MessageDigest.isEqual of the UTF-8 bytes).
	static boolean constantTimeEquals(byte[] expected, String actual) {
		int length = actual.length();
		int difference = expected.length ^ length;
		for (int i = 0; i < expected.length; i++) {
			difference |= expected[i] ^ ((i < length) ? actual.charAt(i) : 0);
		}
		return difference == 0;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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
	 * A salt's expiry and bindings: what {@code bindings(params(salt))} holds, with an
	 * {@code expires} of 1 to 12 digits. Scanned in place when no parameter is percent-
	 * or plus-encoded and there are at most {@value #SCANNED_PAIRS} of them (what our
	 * challenges and altcha-lib's carry), the bindings then read from the salt on demand;
	 * otherwise read through {@link #params(String)}.
	 *
	 * @param expires the expiry in epoch seconds
	 * @param bindings the bindings
	 */
	record Salt(long expires, Map<String, String> bindings) {

		/**
		 * Scan a salt.
		 * @param salt the salt of a challenge
		 * @return the expiry and bindings, or null if {@code bindings(params(salt))} is
		 * null or has no {@code expires} of 1 to 12 digits
		 */
		static @Nullable Salt scan(String salt) {
			int question = salt.indexOf('?');
			int length = salt.length();
			if (question < 0 || salt.charAt(length - 1) != '&') {
				return null;
			}
			int[] names = new int[2 * SCANNED_PAIRS];
			int count = 0;
			long expires = -1;
			boolean siteKey = false;
			boolean sk = false;
			boolean action = false;
			boolean act = false;
			int start = question + 1;
			while (start < length) {
				int end = salt.indexOf('&', start);
				if (end == start) {
					start++;
					continue;
				}
				int equals = -1;
				for (int i = start; i < end; i++) {
					char c = salt.charAt(i);
					if (c == '%' || c == '+') {
						return decoded(salt);
					}
					if (c == '=' && equals < 0) {
						equals = i;
					}
				}
				if (equals <= start) {
					// no '=', or no name: params refuses both
					return null;
				}
				if (count == SCANNED_PAIRS) {
					return decoded(salt);
				}
				int nameLength = equals - start;
				for (int i = 0; i < count; i++) {
					if (names[2 * i + 1] - names[2 * i] == nameLength
							&& salt.regionMatches(names[2 * i], salt, start, nameLength)) {
						return null;
					}
				}
				names[2 * count] = start;
				names[2 * count + 1] = equals;
				count++;
				if (is(salt, start, equals, "expires")) {
					expires = digits(salt, equals + 1, end);
				}
				siteKey |= is(salt, start, equals, "site_key");
				sk |= is(salt, start, equals, "sk");
				action |= is(salt, start, equals, "action");
				act |= is(salt, start, equals, "act");
				start = end + 1;
			}
			if ((siteKey && sk) || (action && act) || expires < 0) {
				return null;
			}
			return new Salt(expires, new ScannedBindings(salt, names, count));
		}

		private static @Nullable Salt decoded(String salt) {
			Map<String, String> bindings = Altcha.bindings(params(salt));
			String expires = (bindings != null) ? bindings.get("expires") : null;
			if (bindings == null || expires == null || !EXPIRES.matcher(expires).matches()) {
				return null;
			}
			return new Salt(Long.parseLong(expires), bindings);
		}

		private static boolean is(String salt, int start, int end, String name) {
			return end - start == name.length() && salt.startsWith(name, start);
		}

		// The number in 1 to 12 ASCII digits from start to end, or -1.
		private static long digits(String value, int start, int end) {
			if (end <= start || end - start > 12) {
				return -1;
			}
			long number = 0;
			for (int i = start; i < end; i++) {
				char c = value.charAt(i);
				if (c < '0' || c > '9') {
					return -1;
				}
				number = number * 10 + (c - '0');
			}
			return number;
		}

	}

	/**
	 * The bindings of a scanned salt (no encoded parameter, no name twice, not both names
	 * of a binding), read from it on demand: {@code site_key} answers as {@code sk} (its
	 * short digest), {@code action} as {@code act}. Iterating materialises what
	 * {@code bindings(params(salt))} holds. Unmodifiable.
	 */
	private static final class ScannedBindings extends AbstractMap<String, String> {

		private final String salt;

		// start and '=' index of each parameter
		private final int[] names;

		private final int count;

		private @Nullable Map<String, String> materialised;

		ScannedBindings(String salt, int[] names, int count) {
			this.salt = salt;
			this.names = names;
			this.count = count;
		}

		@Override
		public @Nullable String get(@Nullable Object key) {
			if (!(key instanceof String name) || name.equals("site_key") || name.equals("action")) {
				return null;
			}
			if (name.equals("sk")) {
				String siteKey = raw("site_key");
				if (siteKey != null) {
					return BuiltinCaptchaService.shortDigest(siteKey);
				}
			}
			else if (name.equals("act")) {
				String action = raw("action");
				if (action != null) {
					return action;
				}
			}
			return raw(name);
		}

		@Override
		public boolean containsKey(@Nullable Object key) {
			return get(key) != null;
		}

		@Override
		public Set<Map.Entry<String, String>> entrySet() {
			Map<String, String> map = this.materialised;
			if (map == null) {
				Map<String, String> params = new LinkedHashMap<>();
				for (int i = 0; i < this.count; i++) {
					params.put(name(i), value(i));
				}
				map = Collections.unmodifiableMap(Objects.requireNonNull(bindings(params)));
				this.materialised = map;
			}
			return map.entrySet();
		}

		private @Nullable String raw(String name) {
			for (int i = 0; i < this.count; i++) {
				int start = this.names[2 * i];
				int equals = this.names[2 * i + 1];
				if (equals - start == name.length() && this.salt.startsWith(name, start)) {
					return value(i);
				}
			}
			return null;
		}

		private String name(int i) {
			return this.salt.substring(this.names[2 * i], this.names[2 * i + 1]);
		}

		private String value(int i) {
			int equals = this.names[2 * i + 1];
			return this.salt.substring(equals + 1, this.salt.indexOf('&', equals));
		}

	}

	/**
	 * A thread's digest, HMAC and buffers for verifying v1 payloads: the hex of the
	 * challenge and of the signature is written into reused arrays.
	 */
	private static final class Scratch {

		private final MessageDigest sha256 = sha256();

		private final CachedMac hmac = new CachedMac();

		private final byte[] digest = new byte[32];

		private final byte[] digits = new byte[20];

		private final byte[] challengeHex = new byte[64];

		private final byte[] signatureHex = new byte[64];

		// The lowercase hex SHA-256 of salt followed by the decimal number (reused
		// array).
		byte[] challengeHex(String salt, long number) {
			this.sha256.reset();
			this.sha256.update(salt.getBytes(StandardCharsets.UTF_8));
			int start = this.digits.length;
			long rest = number;
			do {
				this.digits[--start] = (byte) ('0' + (rest % 10));
				rest /= 10;
			}
			while (rest > 0);
			this.sha256.update(this.digits, start, this.digits.length - start);
			try {
				this.sha256.digest(this.digest, 0, this.digest.length);
			}
			catch (DigestException ex) {
				throw new IllegalStateException(ex);
			}
			return hex(this.digest, this.challengeHex);
		}

		// The lowercase hex HMAC-SHA-256 of the bytes (reused array).
		byte[] hmacHex(byte[] key, byte[] value) {
			Mac mac = this.hmac.mac(key);
			mac.update(value);
			try {
				mac.doFinal(this.digest, 0);
			}
			catch (ShortBufferException ex) {
				throw new IllegalStateException(ex);
			}
			return hex(this.digest, this.signatureHex);
		}

		private static byte[] hex(byte[] bytes, byte[] out) {
			for (int i = 0; i < bytes.length; i++) {
				out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
				out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xF];
			}
			return out;
		}

	}

	/**
	 * The members of a payload a v1 check reads, from a streaming parse of the whole
	 * document: what the tree of {@link ProviderJson#parseObject(byte[])} refuses (a key
	 * given twice at any depth, a syntax error, trailing content) is refused (null); a
	 * member of the wrong type reads as absent, as {@link ProviderJson#string} does; a
	 * challenge that is an object marks a v2 payload (read again into a tree). Read first
	 * without duplicate detection, which holds while only the five v1 members appear,
	 * each once with a scalar value; any other member, a member given again or an array
	 * or object value has the document read again with it.
	 */
	private static final class V1Members {

		private static final int ALGORITHM = 1;

		private static final int CHALLENGE = 2;

		private static final int SALT = 4;

		private static final int SIGNATURE = 8;

		private static final int NUMBER = 16;

		private @Nullable String algorithm;

		private @Nullable String challenge;

		private @Nullable String salt;

		private @Nullable String signature;

		// -1: absent, not an integer, out of the long range or negative
		private long number = -1;

		private boolean v2;

		static @Nullable V1Members read(byte[] json) {
			V1Members members = new V1Members();
			return members.read(json, false) ? members : null;
		}

		// Whether the document is one the strict tree reads (with members filled in); in
		// the fast mode, a document outside the fast shape is read again strictly.
		private boolean read(byte[] json, boolean strict) {
			try (JsonParser parser = (strict ? STRICT_JSON : FAST_JSON).createParser(ObjectReadContext.empty(), json)) {
				if (parser.nextToken() != JsonToken.START_OBJECT) {
					return false;
				}
				int seen = 0;
				String name;
				while ((name = parser.nextName()) != null) {
					JsonToken value = parser.nextToken();
					int member = member(name);
					if (!strict && (member == 0 || (seen & member) != 0 || value.isStructStart())) {
						if (member == CHALLENGE && value == JsonToken.START_OBJECT && (seen & member) == 0) {
							this.v2 = true;
							return true;
						}
						return read(json, true);
					}
					seen |= member;
					switch (member) {
						case ALGORITHM -> this.algorithm = string(value, parser);
						case CHALLENGE -> {
							if (value == JsonToken.START_OBJECT) {
								this.v2 = true;
								return true;
							}
							this.challenge = string(value, parser);
						}
						case SALT -> this.salt = string(value, parser);
						case SIGNATURE -> this.signature = string(value, parser);
						case NUMBER -> this.number = (value == JsonToken.VALUE_NUMBER_INT
								&& parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER)
										? Math.max(-1, parser.getLongValue()) : -1;
						default -> {
						}
					}
					// arrays and objects of members not read (or of the wrong type) are
					// skipped, their keys still checked for duplicates
					parser.skipChildren();
				}
				return parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null;
			}
			catch (JacksonException ex) {
				return false;
			}
		}

		private static int member(String name) {
			return switch (name) {
				case "algorithm" -> ALGORITHM;
				case "challenge" -> CHALLENGE;
				case "salt" -> SALT;
				case "signature" -> SIGNATURE;
				case "number" -> NUMBER;
				default -> 0;
			};
		}

		private static @Nullable String string(JsonToken value, JsonParser parser) {
			return (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
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
