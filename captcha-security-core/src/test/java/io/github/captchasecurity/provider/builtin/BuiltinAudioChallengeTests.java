package io.github.captchasecurity.provider.builtin;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for the audio form of image challenges ({@link BuiltinCaptchaService#audio}): a
 * WAV that Java Sound reads, as long as the answer takes to speak, different on every
 * request, answered with validate like the image, and held to the challenge's site key,
 * client and lifetime.
 */
class BuiltinAudioChallengeTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final String IP = "203.0.113.7";

	private final MutableClock clock = new MutableClock(START);

	private final RecordingChallengeStore store = new RecordingChallengeStore(new CaffeineChallengeStore(1000));

	private BuiltinCaptchaService service = service(settings().build(), this.store);

	@Test
	void audioWhenImageChallengeThenWavThatJavaSoundReadsAndThatLastsAsLongAsTheAnswerTakes() throws Exception {
		String id = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();
		int characters = this.store.answer(id).length();

		byte[] wav = this.service.audio(id, IP);

		try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
			AudioFormat format = in.getFormat();
			assertThat(format.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
			assertThat(format.getSampleRate()).isEqualTo(8000f);
			assertThat(format.getChannels()).isEqualTo(1);
			assertThat(format.getSampleSizeInBits()).isEqualTo(16);
			double seconds = in.getFrameLength() / (double) format.getFrameRate();
			assertThat(seconds).as("%d characters", characters)
				.isBetween(0.7 + characters * 0.5, 1.2 + characters * 1.5);
			byte[] samples = in.readAllBytes();
			assertThat(samples).hasSize((int) in.getFrameLength() * 2);
			assertThat(peak(samples)).as("speech is louder than the noise floor").isGreaterThan(8000);
		}
	}

	@Test
	void audioWhenFetchedTwiceThenTheRenderingsDiffer() {
		String id = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();

		byte[] first = this.service.audio(id, IP);
		byte[] second = this.service.audio(id, IP);

		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void audioWhenAnswerHeardIsTypedThenTheImageChallengeGivesAPassTokenThatVerifies() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "image", null, "login", IP);
		this.service.audio(challenge.captchaId(), IP);

		String token = this.service.validate(SITE_KEY, challenge.captchaId(),
				this.store.answer(challenge.captchaId()).toLowerCase(Locale.ROOT), IP);

		assertThat(token).isNotNull();
		VerificationRequest request = new VerificationRequest(token, IP, "login", Set.of(), null,
				Duration.ofMinutes(5));
		assertThat(this.service.verify("local", request).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void audioWhenChallengeAlreadyAnsweredThenInvalid() {
		String id = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();
		this.service.validate(SITE_KEY, id, "wrong", IP);

		assertInvalid(id, IP);
	}

	@Test
	void audioWhenChallengeExpiredThenInvalid() {
		String id = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();
		this.clock.advance(Duration.ofMinutes(6));

		assertInvalid(id, IP);
	}

	@Test
	void audioWhenMathGridOrPowChallengeThenInvalid() {
		for (String type : List.of("math", "grid", "pow")) {
			assertInvalid(this.service.generate(SITE_KEY, type, null, null, IP).captchaId(), IP);
		}
	}

	@Test
	void audioWhenIdUnknownOrMissingThenBadRequestWithoutTheAnswer() {
		String id = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();

		assertInvalid(id + "x", IP);
		BuiltinCaptchaException missing = catchThrowableOfType(BuiltinCaptchaException.class,
				() -> this.service.audio(null, IP));
		assertThat(missing.getStatus()).isEqualTo(400);
		assertThat(missing.getCode()).isEqualTo(BuiltinCaptchaException.BAD_REQUEST);
	}

	@Test
	void audioWhenAnotherClientAsksWithBindIpThenInvalid() {
		String id = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();

		BuiltinCaptchaException ex = assertInvalid(id, "198.51.100.9");

		assertThat(ex.getMessage()).doesNotContain(this.store.answer(id));
		assertThat(this.service.audio(id, IP)).as("control: the client it was issued to").isNotEmpty();
	}

	@Test
	void audioWhenOneChallengeIsFetchedMoreThanThreeTimesThenRateLimited() {
		// many renderings of one answer would let a script average the noise away
		String id = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();
		for (int i = 0; i < BuiltinCaptchaService.AUDIO_PLAYS_PER_CHALLENGE; i++) {
			this.service.audio(id, IP);
		}

		BuiltinCaptchaException ex = catchThrowableOfType(BuiltinCaptchaException.class,
				() -> this.service.audio(id, IP));

		assertThat(ex.getStatus()).isEqualTo(429);
		assertThat(ex.getCode()).isEqualTo(BuiltinCaptchaException.RATE_LIMITED);
		assertThat(ex.getRetryAfter()).isPositive();
		assertThat(this.service.validate(SITE_KEY, id, this.store.answer(id), IP)).as("still answerable").isNotNull();
	}

	@Test
	void audioWhenClientOverItsGenerateLimitThenRateLimited() {
		this.service = service(settings().clientLimits(4, 100).build(), this.store);
		String first = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();
		String second = this.service.generate(SITE_KEY, "image", null, null, IP).captchaId();
		this.service.audio(first, IP);
		this.service.audio(first, IP);
		this.service.audio(second, IP);
		this.service.audio(second, IP);

		BuiltinCaptchaException ex = catchThrowableOfType(BuiltinCaptchaException.class,
				() -> this.service.audio(second, IP));

		assertThat(ex.getStatus()).isEqualTo(429);
	}

	@Test
	void audioWhenStoreCannotPeekThenNoAudioOffered() {
		ChallengeStore takeOnly = new ChallengeStore() {

			private final ChallengeStore delegate = new CaffeineChallengeStore(100);

			@Override
			public void save(Challenge challenge, Duration ttl) {
				this.delegate.save(challenge, ttl);
			}

			@Override
			public @Nullable Challenge take(String id) {
				return this.delegate.take(id);
			}

		};
		BuiltinCaptchaService service = service(settings().build(), takeOnly);
		String id = service.generate(SITE_KEY, "image", null, null, IP).captchaId();

		assertThat(service.audioAvailable()).isFalse();
		assertThat(catchThrowableOfType(BuiltinCaptchaException.class, () -> service.audio(id, IP)).getStatus())
			.isEqualTo(400);
		assertThat(this.service.audioAvailable()).as("control: a store that can peek").isTrue();
	}

	@Test
	void audioWhenImageNotAllowedThenNoAudioOffered() {
		this.service = service(settings().challengeTypes(List.of(ChallengeType.MATH)).build(), this.store);

		assertThat(this.service.audioAvailable()).isFalse();
	}

	@Test
	void everyCharacterOfTheImageAlphabetHasAClip() {
		assertThat(ChallengeAudio.canSpeak(BuiltinCaptchaService.ALPHABET)).isTrue();
		assertThat(ChallengeAudio.canSpeak("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")).isTrue();
		assertThat(ChallengeAudio.canSpeak("A-")).isFalse();
	}

	private BuiltinCaptchaException assertInvalid(String id, String clientIp) {
		BuiltinCaptchaException ex = catchThrowableOfType(BuiltinCaptchaException.class,
				() -> this.service.audio(id, clientIp));
		assertThat(ex).isNotNull();
		assertThat(ex.getStatus()).isEqualTo(400);
		assertThat(ex.getCode()).isEqualTo(BuiltinCaptchaException.CHALLENGE_INVALID);
		return ex;
	}

	private static int peak(byte[] littleEndian16) {
		int peak = 0;
		for (int i = 0; i + 1 < littleEndian16.length; i += 2) {
			int sample = (short) ((littleEndian16[i] & 0xff) | (littleEndian16[i + 1] << 8));
			peak = Math.max(peak, Math.abs(sample));
		}
		return peak;
	}

	private BuiltinSettings.Builder settings() {
		return BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of(SITE_KEY)).powMaxNumber(1000).bindIp(true);
	}

	private BuiltinCaptchaService service(BuiltinSettings settings, ChallengeStore store) {
		return new BuiltinCaptchaService(settings, store, new CaffeineRateLimiter(1000, this.clock),
				new CaffeineReplayCache(1000), this.clock);
	}

}
