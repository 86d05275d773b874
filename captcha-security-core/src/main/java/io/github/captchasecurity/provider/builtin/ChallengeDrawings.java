package io.github.captchasecurity.provider.builtin;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.provider.builtin.ChallengeImages.ShapeKind;
import org.jspecify.annotations.Nullable;

/**
 * Draws the image, math and grid challenges of the built-in provider: the answer from the
 * secure random, the picture's noise from the drawing random.
 */
final class ChallengeDrawings {

	/**
	 * Characters of image challenges: none of a pair people confuse in distorted text
	 * (G/6, K/X, Q/O/D/0, U/V, 1/I/L, 5/S, 2/Z, 8/B, 9/P, 4/A, J/T, 7/T).
	 */
	static final String ALPHABET = "ACEFHMNPRTVWXY36";

	private final BuiltinSettings settings;

	private final SecureRandom random;

	ChallengeDrawings(BuiltinSettings settings, SecureRandom random) {
		this.settings = settings;
		this.random = random;
	}

	Drawing image(RandomGenerator drawing) {
		String answer = randomText(this.settings.imageLength());
		String image = base64Png(
				ChallengeImages.text(answer, this.settings.imageWidth(), this.settings.imageHeight(), drawing, true));
		return new Drawing(answer, image, null, List.of(), null);
	}

	Drawing math(RandomGenerator drawing) {
		int op = this.random.nextInt(3);
		int a;
		int b;
		int result;
		String symbol;
		if (op == 0) {
			a = 1 + this.random.nextInt(20);
			b = 1 + this.random.nextInt(20);
			result = a + b;
			symbol = "+";
		}
		else if (op == 1) {
			a = 2 + this.random.nextInt(20);
			b = 1 + this.random.nextInt(a - 1);
			result = a - b;
			symbol = "-";
		}
		else {
			a = 2 + this.random.nextInt(8);
			b = 2 + this.random.nextInt(8);
			result = a * b;
			symbol = "×";
		}
		String answer = Integer.toString(result);
		String image = null;
		if (this.settings.mathAsImage()) {
			image = base64Png(ChallengeImages.text(a + " " + symbol + " " + b + " =", this.settings.imageWidth(),
					this.settings.imageHeight(), drawing, false));
		}
		return new Drawing(answer, image, "captcha.math.question",
				List.of(Integer.toString(a), symbol, Integer.toString(b)), null);
	}

	Drawing grid(RandomGenerator drawing, int gridSize) {
		SecureChoices choices = new SecureChoices(this.random);
		ShapeKind[] kinds = ShapeKind.values();
		ShapeKind target = kinds[choices.nextInt(kinds.length)];
		int matches = 2 + choices.nextInt(4);
		List<Integer> indices = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
		choices.shuffle(indices);
		Set<Integer> wanted = new TreeSet<>(indices.subList(0, matches));
		List<List<ShapeKind>> tiles = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			List<ShapeKind> shapes = new ArrayList<>();
			if (wanted.contains(i)) {
				shapes.add(target);
			}
			int others = wanted.contains(i) ? choices.nextInt(2) : 1 + choices.nextInt(2);
			for (int o = 0; o < others; o++) {
				// any kind but the target, each as likely
				int other = choices.nextInt(kinds.length - 1);
				shapes.add(kinds[(other >= target.ordinal()) ? other + 1 : other]);
			}
			choices.shuffle(shapes);
			tiles.add(shapes);
		}
		String answer = wanted.stream().map(String::valueOf).collect(Collectors.joining(","));
		String image = base64Png(ChallengeImages.grid(tiles, gridSize, drawing));
		return new Drawing(answer, image, "captcha.grid.question." + target.noun(), List.of(), target.label());
	}

	private String randomText(int length) {
		SecureChoices choices = new SecureChoices(this.random);
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append(ALPHABET.charAt(choices.nextInt(ALPHABET.length())));
		}
		return text.toString();
	}

	private static String base64Png(IndexedCanvas image) {
		return Base64.getEncoder().encodeToString(ChallengeImages.png(image));
	}

	/**
	 * Uniform choices from the secure random, read 32 bytes at a time: each
	 * {@code nextInt} of a {@code SecureRandom} reads from the operating system and mixes
	 * in a SHA-1 round, which a grid's thirty-odd choices made a tenth of its cost. A
	 * bounded choice takes just enough bits and draws again when they exceed the bound
	 * (no modulo bias).
	 */
	private static final class SecureChoices {

		private final SecureRandom random;

		private final byte[] pool = new byte[32];

		private int bit = 256;

		SecureChoices(SecureRandom random) {
			this.random = random;
		}

		int nextInt(int bound) {
			int bits = 32 - Integer.numberOfLeadingZeros(bound - 1);
			while (true) {
				int value = 0;
				for (int i = 0; i < bits; i++) {
					if (this.bit == 256) {
						this.random.nextBytes(this.pool);
						this.bit = 0;
					}
					value = (value << 1) | ((this.pool[this.bit >>> 3] >>> (this.bit & 7)) & 1);
					this.bit++;
				}
				if (value < bound) {
					return value;
				}
			}
		}

		// Fisher-Yates, as Collections.shuffle.
		<T> void shuffle(List<T> list) {
			for (int i = list.size() - 1; i > 0; i--) {
				Collections.swap(list, i, nextInt(i + 1));
			}
		}

	}

	/**
	 * A drawn challenge: its answer, and what the client is shown.
	 *
	 * @param answer the expected answer, never sent to the client
	 * @param image the Base64 PNG shown, or null if there is none
	 * @param questionKey the message key of the question asked, or null if there is none
	 * @param questionArgs the arguments of the question's message
	 * @param label the wire label of the grid's target shape, or null for other types
	 */
	record Drawing(String answer, @Nullable String image, @Nullable String questionKey, List<String> questionArgs,
			@Nullable String label) {

		// The question in a language, or null if the challenge asks none.
		@Nullable String question(CaptchaMessages messages, Locale locale) {
			return (this.questionKey != null)
					? messages.message(this.questionKey, locale, this.questionArgs.toArray(Object[]::new)) : null;
		}

	}

}
