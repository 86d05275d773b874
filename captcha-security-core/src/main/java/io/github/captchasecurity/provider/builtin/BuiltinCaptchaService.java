package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.replay.ReplayCache;
import org.jspecify.annotations.Nullable;

/**
 * The built-in provider: issues challenges, checks answers, signs pass tokens and
 * verifies them.
 * <ul>
 * <li>{@link #generate} and {@link #validate} implement the generate/validate API: an
 * unknown site key is refused (403), a type the site keys do not allow is refused (400),
 * each client IP and then each site key may generate and validate a limited number of
 * times per hour (429, failed validations count; a request the client's limit refuses
 * does not count toward the site key's), a challenge can be answered once within its
 * lifetime (a wrong answer burns it).</li>
 * <li>{@link #audio} speaks the answer of an image challenge as a WAV: the audio
 * alternative, answered like the image with {@link #validate}. It counts against the
 * generate limits, and one challenge can be heard at most
 * {@value #AUDIO_PLAYS_PER_CHALLENGE} times (each rendering differs, so many of them
 * would help to average the noise out).</li>
 * <li>{@link #verify} checks what a client sends to a protected route: a pass token
 * (HS256 JWT: signature, expiry, site key, an issue time not in the future and a lifetime
 * no longer than {@code tokenTtl}, IP binding, single use) or an ALTCHA v1 proof-of-work
 * payload (hash, signature, expiry, site key, single use). Either must be of a challenge
 * type the site keys allow and the route accepts
 * ({@code captcha_challenge_type_mismatch}). Both carry the IP address and action of the
 * client the challenge was issued for; they are held to them with {@code bind-ip}, and on
 * routes that require a server-issued challenge (the IP and the route's action).</li>
 * </ul>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class BuiltinCaptchaService {

	/** Characters of image challenges: no 0/O, 1/I/L, 5/S, 2/Z, 8/B look-alikes. */
	static final String ALPHABET = ChallengeDrawings.ALPHABET;

	/** How often the audio of one challenge may be fetched. */
	static final int AUDIO_PLAYS_PER_CHALLENGE = 3;

	private static final Duration HOUR = Duration.ofHours(1);

	private static final int[] GRID_SIZES = { 100, 300, 450 };

	private final BuiltinSettings settings;

	private final SiteKeys siteKeys;

	private final ChallengeStore store;

	private final RateLimiter rateLimiter;

	private final ReplayCache replayCache;

	private final Clock clock;

	private final PassTokens passTokens;

	private final byte[] powKey;

	private final byte[] clientKey;

	private final SecureRandom random = new SecureRandom();

	private final ChallengeDrawings drawings;

	private final BuiltinTokenChecks tokens;

	private final boolean audio;

	private final List<BuiltinChallengeListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Create the service.
	 * @param settings the settings
	 * @param store where challenges are kept
	 * @param rateLimiter the per-site-key limits
	 * @param replayCache single use of pass tokens and proof-of-work payloads
	 * @param clock the time source
	 */
	public BuiltinCaptchaService(BuiltinSettings settings, ChallengeStore store, RateLimiter rateLimiter,
			ReplayCache replayCache, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.siteKeys = new SiteKeys(settings.siteKeys());
		this.store = Objects.requireNonNull(store, "store");
		this.audio = implementsPeek(store);
		this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
		this.replayCache = Objects.requireNonNull(replayCache, "replayCache");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.passTokens = new PassTokens(derive(settings.signingKey(), "captcha-security pass-token v1"));
		byte[] altchaKey = settings.altchaHmacKey();
		this.powKey = (altchaKey != null) ? altchaKey : derive(settings.signingKey(), "captcha-security altcha v1");
		this.clientKey = derive(settings.signingKey(), "captcha-security client limit v1");
		this.drawings = new ChallengeDrawings(settings, this.random);
		this.tokens = new BuiltinTokenChecks(settings, this.siteKeys, this.passTokens, this.powKey, this.replayCache,
				this.clock);
	}

	/**
	 * Add a listener told about every challenge generated and answered.
	 * @param listener the listener
	 */
	public void addListener(BuiltinChallengeListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * Return the settings.
	 * @return the settings
	 */
	public BuiltinSettings settings() {
		return this.settings;
	}

	/**
	 * Return whether image challenges have an audio form: whether the image type is
	 * allowed and the challenge store implements {@link ChallengeStore#peek(String)}.
	 * @return whether {@link #audio} can succeed
	 */
	public boolean audioAvailable() {
		return this.audio && this.settings.challengeTypes().contains(ChallengeType.IMAGE);
	}

	/**
	 * Return the challenge types the site keys allow, in declaration order.
	 * @return the types
	 */
	public List<ChallengeType> allowedChallengeTypes() {
		return Arrays.stream(ChallengeType.values()).filter(this.settings.challengeTypes()::contains).toList();
	}

	/**
	 * Issue a challenge.
	 * @param siteKey the site key
	 * @param type the wire name of the type ({@code image}, {@code math}, {@code grid},
	 * {@code pow}); null for image (or, when the site keys do not allow image, the first
	 * type they allow)
	 * @param size the grid image size (100, 300 or 450), or null for 300
	 * @param action the action the pass token should carry, or null
	 * @param clientIp the requesting client's IP, or null
	 * @return the challenge to send to the client
	 * @throws BuiltinCaptchaException if the site key is unknown (403), the client's or
	 * site key's limit is reached (429), or an argument is invalid or the type not
	 * allowed (400)
	 */
	public GeneratedChallenge generate(@Nullable String siteKey, @Nullable String type, @Nullable Integer size,
			@Nullable String action, @Nullable String clientIp) {
		return generate(siteKey, type, size, action, clientIp, 1, CaptchaMessages.bundled(), Locale.ENGLISH);
	}

	/**
	 * Issue a challenge whose question (math, grid) is in a language.
	 * @param siteKey the site key
	 * @param type the wire name of the type, or null for the default
	 * @param size the grid image size (100, 300 or 450), or null for 300
	 * @param action the action the pass token should carry, or null
	 * @param clientIp the requesting client's IP, or null
	 * @param messages the texts of the questions ({@code captcha.math.question},
	 * {@code captcha.grid.question.<shape>})
	 * @param locale the language of the question
	 * @return the challenge to send to the client
	 * @throws BuiltinCaptchaException as
	 * {@link #generate(String, String, Integer, String, String)}
	 * @since 0.1.0
	 */
	public GeneratedChallenge generate(@Nullable String siteKey, @Nullable String type, @Nullable Integer size,
			@Nullable String action, @Nullable String clientIp, CaptchaMessages messages, Locale locale) {
		return generate(siteKey, type, size, action, clientIp, 1, messages, locale);
	}

	/**
	 * Issue a challenge; a proof-of-work one in the given ALTCHA protocol version.
	 * @param siteKey the site key
	 * @param type the wire name of the type, or null (see
	 * {@link #generate(String, String, Integer, String, String)})
	 * @param size the grid image size, or null for 300
	 * @param action the action the token should carry, or null
	 * @param clientIp the requesting client's IP, or null
	 * @param altchaVersion 1 for ALTCHA v1 ({@code algorithm}, {@code challenge},
	 * {@code maxnumber}, {@code salt}, {@code signature}), 2 for ALTCHA v2
	 * ({@code parameters}, {@code signature}); other types ignore it
	 * @return the challenge to send to the client
	 * @throws BuiltinCaptchaException as
	 * {@link #generate(String, String, Integer, String, String)} does, and 400 for a
	 * version other than 1 or 2
	 * @since 0.1.0
	 */
	public GeneratedChallenge generate(@Nullable String siteKey, @Nullable String type, @Nullable Integer size,
			@Nullable String action, @Nullable String clientIp, int altchaVersion) {
		return generate(siteKey, type, size, action, clientIp, altchaVersion, CaptchaMessages.bundled(),
				Locale.ENGLISH);
	}

	/**
	 * Issue a challenge whose question is in a language; a proof-of-work one in the given
	 * ALTCHA protocol version.
	 * @param siteKey the site key
	 * @param type the wire name of the type, or null for the default
	 * @param size the grid image size, or null for 300
	 * @param action the action the token should carry, or null
	 * @param clientIp the requesting client's IP, or null
	 * @param altchaVersion 1 or 2 (see
	 * {@link #generate(String, String, Integer, String, String, int)})
	 * @param messages the texts of the questions
	 * @param locale the language of the question
	 * @return the challenge to send to the client
	 * @throws BuiltinCaptchaException as
	 * {@link #generate(String, String, Integer, String, String, int)}
	 * @since 0.1.0
	 */
	public GeneratedChallenge generate(@Nullable String siteKey, @Nullable String type, @Nullable Integer size,
			@Nullable String action, @Nullable String clientIp, int altchaVersion, CaptchaMessages messages,
			Locale locale) {
		if (altchaVersion != 1 && altchaVersion != 2) {
			throw BuiltinCaptchaException.badRequest("version-invalid");
		}
		String key = requireSiteKey(siteKey);
		ChallengeType challengeType = (type != null) ? ChallengeType.fromWireName(type) : defaultType();
		if (challengeType == null) {
			throw BuiltinCaptchaException.badRequest("type-unknown");
		}
		if (!this.settings.challengeTypes().contains(challengeType)) {
			throw BuiltinCaptchaException.badRequest("type-not-allowed", challengeType.wireName(), allowedTypes());
		}
		int gridSize = (size != null) ? size : 300;
		if (challengeType == ChallengeType.GRID && Arrays.stream(GRID_SIZES).noneMatch((s) -> s == gridSize)) {
			throw BuiltinCaptchaException.badRequest("size-invalid");
		}
		if (action != null && !action.matches("[A-Za-z0-9/_-]{1,64}")) {
			throw BuiltinCaptchaException.badRequest("action-invalid");
		}
		limit("generate", key, this.settings.generatePerHour(), clientIp, this.settings.generatePerClientPerHour());
		Instant now = this.clock.instant();
		Duration ttl = this.settings.challengeTtl();
		String id = newId();
		RandomGenerator drawing = ThreadLocalRandom.current();
		String answer;
		String image = null;
		String question = null;
		String label = null;
		Map<String, Object> pow = Map.of();
		switch (challengeType) {
			case IMAGE -> {
				ChallengeDrawings.Drawing drawn = this.drawings.image(drawing);
				answer = drawn.answer();
				image = drawn.image();
			}
			case MATH -> {
				ChallengeDrawings.Drawing drawn = this.drawings.math(drawing);
				answer = drawn.answer();
				image = drawn.image();
				question = drawn.question(messages, locale);
			}
			case GRID -> {
				ChallengeDrawings.Drawing drawn = this.drawings.grid(drawing, gridSize);
				answer = drawn.answer();
				image = drawn.image();
				question = drawn.question(messages, locale);
				label = drawn.label();
			}
			case POW -> {
				Map<String, String> params = new LinkedHashMap<>();
				params.put("sk", shortDigest(key));
				if (clientIp != null) {
					params.put("ip", shortDigest(clientIp));
				}
				if (action != null) {
					params.put("act", action);
				}
				PowComplexity complexity = complexity(key, action);
				if (altchaVersion == 2) {
					pow = AltchaV2.create(this.powKey, this.settings.powAlgorithm(), complexity.cost(),
							complexity.maxNumber(), now.plus(ttl), params, this.random);
					answer = "v2:" + pow.get("signature");
				}
				else {
					Altcha.AltchaChallenge challenge = Altcha.create(this.powKey, complexity.maxNumber(), now.plus(ttl),
							params, this.random);
					answer = challenge.challenge();
					pow = challenge.toMap();
				}
			}
			default -> throw new IllegalStateException("Unhandled type " + challengeType);
		}
		this.store.save(new Challenge(id, key, challengeType, answer, action, clientIp, now.plus(ttl)), ttl);
		notify(challengeType, BuiltinChallengeListener.Result.GENERATED);
		return new GeneratedChallenge(id, challengeType, image, question, ttl.toSeconds(), label,
				(challengeType == ChallengeType.GRID) ? gridSize : 0, pow);
	}

	/**
	 * Check an answer. Whatever the answer, the challenge is used up.
	 * @param siteKey the site key
	 * @param captchaId the challenge id
	 * @param userInput the answer: the text, the number, tile indices ({@code "2,5,7"})
	 * or the proof-of-work payload
	 * @param clientIp the answering client's IP, or null
	 * @return the pass token if the answer is right, or null if it is wrong
	 * @throws BuiltinCaptchaException if the site key is unknown (403), the client's or
	 * site key's limit is reached (429), the request is incomplete or the challenge
	 * unknown or expired (400)
	 */
	public @Nullable String validate(@Nullable String siteKey, @Nullable String captchaId, @Nullable String userInput,
			@Nullable String clientIp) {
		String key = requireSiteKey(siteKey);
		limit("validate", key, this.settings.validatePerHour(), clientIp, this.settings.validatePerClientPerHour());
		if (captchaId == null || captchaId.isBlank() || captchaId.length() > 128) {
			throw BuiltinCaptchaException.badRequest("captcha-id-required");
		}
		if (userInput == null || userInput.length() > 4096) {
			throw BuiltinCaptchaException.badRequest("user-input-required");
		}
		Challenge challenge = this.store.take(captchaId);
		Instant now = this.clock.instant();
		if (challenge == null || !challenge.siteKey().equals(key) || now.isAfter(challenge.expiresAt())) {
			notify((challenge != null) ? challenge.type() : null, BuiltinChallengeListener.Result.EXPIRED);
			throw BuiltinCaptchaException.of(400, BuiltinCaptchaException.CHALLENGE_INVALID, null, "challenge-invalid");
		}
		if (this.settings.bindIp() && !Objects.equals(challenge.clientIp(), clientIp)
				|| !isCorrect(challenge, userInput.trim(), now)) {
			notify(challenge.type(), BuiltinChallengeListener.Result.FAILED);
			return null;
		}
		notify(challenge.type(), BuiltinChallengeListener.Result.SOLVED);
		return this.passTokens.issue(challenge, now, this.settings.tokenTtl(), clientIp);
	}

	/**
	 * Speak the answer of an image challenge: the audio alternative. The challenge stays
	 * answerable (once) with {@link #validate}, so the audio and the image give the same
	 * pass token.
	 * @param captchaId the id of an image challenge
	 * @param clientIp the requesting client's IP, or null
	 * @return a WAV file (8 kHz, 16-bit mono PCM)
	 * @throws BuiltinCaptchaException if the client's or site key's generate limit or the
	 * challenge's play limit is reached (429), the id is missing (400), or the challenge
	 * is unknown, expired, not an image challenge, or (with {@code bind-ip}) issued to
	 * another IP (400 {@code captcha_challenge_invalid})
	 */
	public byte[] audio(@Nullable String captchaId, @Nullable String clientIp) {
		if (captchaId == null || captchaId.isBlank() || captchaId.length() > 128) {
			throw BuiltinCaptchaException.badRequest("challenge-required");
		}
		Challenge challenge = this.store.peek(captchaId);
		Instant now = this.clock.instant();
		if (!this.audio || challenge == null || challenge.type() != ChallengeType.IMAGE
				|| now.isAfter(challenge.expiresAt())
				|| (this.settings.bindIp() && !Objects.equals(challenge.clientIp(), clientIp))
				|| !ChallengeAudio.canSpeak(challenge.answer())) {
			throw BuiltinCaptchaException.of(400, BuiltinCaptchaException.CHALLENGE_INVALID, null, "challenge-invalid");
		}
		limit("audio", challenge.siteKey(), this.settings.generatePerHour(), clientIp,
				this.settings.generatePerClientPerHour());
		refuseIfWaiting(this.rateLimiter.acquire("audio:challenge:" + TokenDigest.sha256Hex(captchaId),
				AUDIO_PLAYS_PER_CHALLENGE, this.settings.challengeTtl()));
		return ChallengeAudio.wav(challenge.answer(), ThreadLocalRandom.current());
	}

	/**
	 * Verify what a client sent to a protected route: a pass token, or a proof-of-work
	 * payload.
	 * @param provider the provider name for the result
	 * @param request the verification request
	 * @return the result
	 */
	public VerificationResult verify(String provider, VerificationRequest request) {
		return this.tokens.verify(provider, request);
	}

	/**
	 * Check what needs no state and spends nothing: the signature, site key and expiry of
	 * a pass token, or the hash, signature and expiry of a proof-of-work payload. A
	 * forged token fails here, before it can take a replay-cache entry.
	 * @param request the verification request
	 * @return {@link VerificationOutcome#PASSED}, {@link VerificationOutcome#INVALID} or
	 * {@link VerificationOutcome#EXPIRED}
	 */
	public VerificationOutcome precheck(VerificationRequest request) {
		return this.tokens.precheck(request);
	}

	private void notify(@Nullable ChallengeType type, BuiltinChallengeListener.Result result) {
		for (BuiltinChallengeListener listener : this.listeners) {
			try {
				listener.onChallenge(type, result);
			}
			catch (RuntimeException ex) {
				// listeners must not throw; a failing one must not break the API
			}
		}
	}

	private boolean isCorrect(Challenge challenge, String input, Instant now) {
		return switch (challenge.type()) {
			case IMAGE ->
				Altcha.constantTimeEquals(challenge.answer(), input.replaceAll("\\s+", "").toUpperCase(Locale.ROOT));
			case MATH -> input.matches("-?\\d{1,9}") && Long.parseLong(input) == Long.parseLong(challenge.answer());
			case GRID -> challenge.answer().equals(canonicalTiles(input));
			case POW -> {
				Altcha.Verification verification = Altcha.verify(input, this.powKey, now);
				Altcha.Solution solution = verification.solution();
				yield solution != null && solution.challenge().equals(challenge.answer())
						&& this.tokens.powBindingsHold(solution, challenge.clientIp(), false)
						&& this.tokens.spendPow(solution) == ReplayCache.Mark.FIRST_USE;
			}
		};
	}

	/**
	 * Tile indices in canonical form ("2,5,7"), or null if the input is not a set of
	 * indices 0..8.
	 * @param input the tiles as the client sent them
	 * @return the sorted, comma-separated indices, or null
	 */
	static @Nullable String canonicalTiles(String input) {
		String stripped = input.replaceAll("[\\[\\]\\s]", "");
		if (stripped.isEmpty() || !stripped.matches("[0-8](,[0-8])*")) {
			return null;
		}
		TreeSet<Integer> tiles = new TreeSet<>();
		for (String part : stripped.split(",")) {
			if (!tiles.add(Integer.parseInt(part))) {
				return null;
			}
		}
		return tiles.stream().map(String::valueOf).collect(Collectors.joining(","));
	}

	// The first complexity matching the site key and action, else the defaults.
	private PowComplexity complexity(String siteKey, @Nullable String action) {
		for (PowComplexity complexity : this.settings.powComplexity()) {
			if (complexity.matches(siteKey, action)) {
				return complexity;
			}
		}
		return new PowComplexity(null, null, this.settings.powMaxNumber(), this.settings.powCost());
	}

	private ChallengeType defaultType() {
		if (this.settings.challengeTypes().contains(ChallengeType.IMAGE)) {
			return ChallengeType.IMAGE;
		}
		return Arrays.stream(ChallengeType.values())
			.filter(this.settings.challengeTypes()::contains)
			.findFirst()
			.orElse(ChallengeType.IMAGE);
	}

	private String allowedTypes() {
		return Arrays.stream(ChallengeType.values())
			.filter(this.settings.challengeTypes()::contains)
			.map(ChallengeType::wireName)
			.collect(Collectors.joining(", "));
	}

	private String requireSiteKey(@Nullable String siteKey) {
		if (siteKey == null || !this.siteKeys.matches(siteKey)) {
			throw BuiltinCaptchaException.of(403, BuiltinCaptchaException.SITE_KEY_INVALID, null, "site-key-invalid");
		}
		return siteKey;
	}

	/**
	 * Count a request against the client's limit and, only if that allows it, against the
	 * site key's: a client over its own limit cannot use up what the site key leaves to
	 * the others. Clients are keyed by an HMAC of their IP, never the IP itself.
	 * @param operation the operation counted, part of the keys
	 * @param siteKey the site key of the request
	 * @param limit the site key's limit per hour
	 * @param clientIp the client's IP, or null if unknown
	 * @param clientLimit the client's limit per hour
	 */
	private void limit(String operation, String siteKey, int limit, @Nullable String clientIp, int clientLimit) {
		if (clientIp != null) {
			refuseIfWaiting(
					this.rateLimiter.acquire(operation + ":client:" + clientDigest(clientIp), clientLimit, HOUR));
		}
		refuseIfWaiting(this.rateLimiter.acquire(operation + ":" + TokenDigest.sha256Hex(siteKey), limit, HOUR));
	}

	private String clientDigest(String clientIp) {
		return HexFormat.of().formatHex(Altcha.hmac(this.clientKey, clientIp.getBytes(StandardCharsets.UTF_8)), 0, 16);
	}

	private static void refuseIfWaiting(Duration wait) {
		if (!wait.isZero()) {
			Duration retry = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
			throw BuiltinCaptchaException.of(429, BuiltinCaptchaException.RATE_LIMITED, retry, "rate-limited");
		}
	}

	private static boolean implementsPeek(ChallengeStore store) {
		try {
			return store.getClass().getMethod("peek", String.class).getDeclaringClass() != ChallengeStore.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private String newId() {
		byte[] bytes = new byte[18];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String shortDigest(String value) {
		return TokenDigest.sha256Hex(value).substring(0, 16);
	}

	private static byte[] derive(byte[] key, String purpose) {
		return Altcha.hmac(key, purpose.getBytes(StandardCharsets.UTF_8));
	}

}
