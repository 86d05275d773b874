package io.github.captchasecurity.provider.builtin;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Speaks the answer of an image challenge as a WAV (8 kHz, 16-bit mono PCM): one clip per
 * character from {@code speech-clips.bin} (espeak-ng output made offline by
 * {@code src/audio/make-speech-clips.sh}), each resampled by a random factor (speed and
 * pitch together) and scaled, separated by random gaps, over filtered noise, a hum and
 * reversed speech from other characters. No speech synthesis at runtime.
 */
final class ChallengeAudio {

	static final int SAMPLE_RATE = 8000;

	private static final String RESOURCE = "speech-clips.bin";

	private static final Map<Character, float[]> CLIPS = load();

	private ChallengeAudio() {
	}

	// Whether every character of the text has a clip.
	static boolean canSpeak(String text) {
		return text.chars().allMatch((c) -> CLIPS.containsKey(Character.toUpperCase((char) c)));
	}

	// Render the text as a WAV file. @throws IllegalArgumentException if a character has
	// no clip
	static byte[] wav(String text, RandomGenerator random) {
		float[][] spoken = new float[text.length()][];
		int length = seconds(random, 0.4, 0.7);
		int[] starts = new int[text.length()];
		for (int i = 0; i < text.length(); i++) {
			float[] clip = clip(text.charAt(i));
			spoken[i] = resample(clip, between(random, 0.88, 1.12));
			starts[i] = length;
			length += spoken[i].length + seconds(random, 0.35, 0.75);
		}
		length += seconds(random, 0.3, 0.5);
		float[] mix = new float[length];
		noise(mix, random);
		Character[] decoys = CLIPS.keySet().toArray(new Character[0]);
		int decoyCount = 2 + random.nextInt(3);
		for (int i = 0; i < decoyCount; i++) {
			float[] decoy = reversed(
					resample(CLIPS.get(decoys[random.nextInt(decoys.length)]), between(random, 0.8, 1.2)));
			add(mix, decoy, random.nextInt(Math.max(1, length - decoy.length)), (float) between(random, 0.1, 0.18));
		}
		for (int i = 0; i < spoken.length; i++) {
			add(mix, spoken[i], starts[i], (float) between(random, 0.6, 0.85));
		}
		return encode(mix);
	}

	private static float[] clip(char c) {
		float[] clip = CLIPS.get(Character.toUpperCase(c));
		if (clip == null) {
			throw new IllegalArgumentException("No clip for a character of the answer");
		}
		return clip;
	}

	private static void noise(float[] mix, RandomGenerator random) {
		float level = (float) between(random, 0.05, 0.09);
		double hum = between(random, 90, 260);
		float humLevel = (float) between(random, 0.01, 0.03);
		float filtered = 0;
		for (int i = 0; i < mix.length; i++) {
			float white = (float) (random.nextDouble() * 2 - 1);
			filtered += 0.35f * (white - filtered);
			mix[i] += level * (filtered + 0.3f * white)
					+ humLevel * (float) Math.sin(2 * Math.PI * hum * i / SAMPLE_RATE);
		}
	}

	private static void add(float[] mix, float[] clip, int start, float gain) {
		for (int i = 0; i < clip.length && start + i < mix.length; i++) {
			mix[start + i] += gain * clip[i];
		}
	}

	private static float[] resample(float[] clip, double factor) {
		int length = Math.max(1, (int) (clip.length / factor));
		float[] out = new float[length];
		for (int i = 0; i < length; i++) {
			double position = i * factor;
			int index = (int) position;
			double fraction = position - index;
			float a = clip[Math.min(index, clip.length - 1)];
			float b = clip[Math.min(index + 1, clip.length - 1)];
			out[i] = (float) (a + (b - a) * fraction);
		}
		return out;
	}

	private static float[] reversed(float[] clip) {
		float[] out = new float[clip.length];
		for (int i = 0; i < clip.length; i++) {
			out[i] = clip[clip.length - 1 - i];
		}
		return out;
	}

	private static byte[] encode(float[] mix) {
		ByteBuffer wav = ByteBuffer.allocate(44 + mix.length * 2).order(ByteOrder.LITTLE_ENDIAN);
		wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + mix.length * 2);
		wav.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1);
		wav.putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16);
		wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(mix.length * 2);
		for (float sample : mix) {
			wav.putShort((short) Math.round(Math.max(-1f, Math.min(1f, sample)) * 32767));
		}
		return wav.array();
	}

	private static int seconds(RandomGenerator random, double min, double max) {
		return (int) (between(random, min, max) * SAMPLE_RATE);
	}

	private static double between(RandomGenerator random, double min, double max) {
		return min + random.nextDouble() * (max - min);
	}

	private static Map<Character, float[]> load() {
		try (InputStream resource = ChallengeAudio.class.getResourceAsStream(RESOURCE)) {
			if (resource == null) {
				throw new IllegalStateException("Missing resource " + RESOURCE);
			}
			DataInputStream in = new DataInputStream(resource);
			byte[] magic = in.readNBytes(4);
			if (!"CSA1".equals(new String(magic, StandardCharsets.US_ASCII)) || in.readUnsignedShort() != SAMPLE_RATE) {
				throw new IllegalStateException("Unexpected format of " + RESOURCE);
			}
			int count = in.readUnsignedShort();
			Map<Character, float[]> clips = new HashMap<>();
			for (int i = 0; i < count; i++) {
				char c = (char) in.readUnsignedByte();
				byte[] samples = in.readNBytes(in.readUnsignedShort());
				float[] clip = new float[samples.length];
				for (int j = 0; j < samples.length; j++) {
					clip[j] = ((samples[j] & 0xff) - 128) / 128f;
				}
				clips.put(Character.toUpperCase(c), clip);
			}
			return Map.copyOf(clips);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
