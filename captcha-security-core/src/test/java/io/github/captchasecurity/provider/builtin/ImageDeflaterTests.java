package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ImageDeflater}: what it writes inflates back to its input.
 */
class ImageDeflaterTests {

	@Test
	void noisyBytesInflateToTheInput() throws DataFormatException {
		byte[] input = new byte[70_000];
		new SplittableRandom(1).nextBytes(input);
		assertRoundTrip(new ImageDeflater(), input);
	}

	@Test
	void oneRepeatedByteAndAnEmptyInputInflateToTheInput() throws DataFormatException {
		ImageDeflater deflater = new ImageDeflater();
		byte[] zeros = new byte[50_000];
		assertRoundTrip(deflater, zeros);
		assertRoundTrip(deflater, new byte[0]);
		assertRoundTrip(deflater, new byte[] { 7 });
	}

	@Test
	void skewedCountsThatNeedCodesLimitedToFifteenBitsInflateToTheInput() throws DataFormatException {
		// Fibonacci counts: an unlimited Huffman code would be 25 bits deep
		StringBuilder text = new StringBuilder();
		long a = 1;
		long b = 1;
		for (int symbol = 0; symbol < 26; symbol++) {
			text.append(String.valueOf((char) ('a' + symbol)).repeat((int) a));
			long next = a + b;
			a = b;
			b = next;
		}
		byte[] input = text.toString().getBytes(StandardCharsets.US_ASCII);
		ImageDeflater deflater = new ImageDeflater();
		assertRoundTrip(deflater, input);
		// the buffers are reused: a smaller input after a larger one
		byte[] small = Arrays.copyOf(input, 1000);
		assertRoundTrip(deflater, small);
	}

	private static void assertRoundTrip(ImageDeflater deflater, byte[] input) throws DataFormatException {
		byte[] raw = deflater.scratch(input.length);
		System.arraycopy(input, 0, raw, 0, input.length);
		byte[] stream = deflater.deflate(raw, input.length);
		Inflater inflater = new Inflater();
		inflater.setInput(stream, 0, deflater.length());
		byte[] output = new byte[input.length + 16];
		int length = 0;
		while (!inflater.finished()) {
			int n = inflater.inflate(output, length, output.length - length);
			assertThat(n > 0 || inflater.finished()).as("inflater progress").isTrue();
			length += n;
		}
		assertThat(inflater.getRemaining()).as("bytes after the stream").isZero();
		inflater.end();
		assertThat(Arrays.copyOf(output, length)).isEqualTo(input);
	}

}
