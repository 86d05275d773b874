package io.github.captchasecurity.provider.builtin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * A zlib (RFC 1950/1951) encoder for PNG scan lines filtered with PNG's Sub filter:
 * Huffman codes only (one block, codes built for the image), no search for repeated
 * strings. On the noisy challenge images zlib's level 1 spends most of its time hashing
 * positions and chasing matches that noise breaks after a few bytes; once the Sub filter
 * has turned the flat areas into zeros, coding each byte on its own gives about the same
 * size (about 8 % more on the 300 px grid) with no branch a byte. Not thread-safe: one
 * instance, its buffers reused, per thread at a time.
 */
final class ImageDeflater {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long HIGH_BITS = 0x8080808080808080L;

	/** Order of the code length code lengths in the block header. */
	private static final int[] CL_ORDER = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

	private final Adler32 adler = new Adler32();

	private byte[] raw = new byte[0];

	private byte[] out = new byte[0];

	private final int[] literalFrequencies = new int[286];

	private final int[] distanceFrequencies = new int[30];

	private final int[] codeLengthFrequencies = new int[19];

	private final byte[] literalLengths = new byte[286];

	private final byte[] distanceLengths = new byte[30];

	private final byte[] codeLengthLengths = new byte[19];

	private final int[] literalCodes = new int[286];

	private final int[] distanceCodes = new int[30];

	private final int[] codeLengthCodes = new int[19];

	private int position;

	private long bits;

	private int bitCount;

	/**
	 * A buffer of at least length bytes for the caller's scan lines, reused by the next
	 * call.
	 * @param length the bytes needed
	 * @return the buffer
	 */
	byte[] scratch(int length) {
		if (this.raw.length < length) {
			this.raw = new byte[length];
		}
		return this.raw;
	}

	/**
	 * Compress the first {@code length} bytes of {@code raw} into a zlib stream.
	 * @param raw the filtered scan lines
	 * @param length how many bytes of raw to compress
	 * @return the buffer holding the stream from offset 0, valid until the next call
	 */
	byte[] deflate(byte[] raw, int length) {
		count(raw, length);
		return encode(raw, length);
	}

	/**
	 * Compress an 8-bit image's rows, each filtered with PNG's Sub filter (filter type 1:
	 * each byte less the one on its left), into a zlib stream.
	 * @param pixels the image, row by row
	 * @param width the pixels a row
	 * @param height the rows
	 * @return the buffer holding the stream from offset 0, valid until the next call
	 */
	byte[] deflateSub(byte[] pixels, int width, int height) {
		int stride = width + 1;
		int length = stride * height;
		byte[] raw = scratch(length);
		for (int y = 0; y < height; y++) {
			int from = y * width;
			int to = y * stride + 1;
			raw[to - 1] = 1;
			raw[to] = pixels[from];
			int x = 1;
			// eight bytes at a time: a lane-wise subtraction that lets no borrow cross
			// from one byte into the next
			for (; x + 8 <= width; x += 8) {
				long a = (long) LONGS.get(pixels, from + x);
				long b = (long) LONGS.get(pixels, from + x - 1);
				LONGS.set(raw, to + x, ((a | HIGH_BITS) - (b & ~HIGH_BITS)) ^ ((a ^ ~b) & HIGH_BITS));
			}
			for (; x < width; x++) {
				raw[to + x] = (byte) (pixels[from + x] - pixels[from + x - 1]);
			}
		}
		count(raw, length);
		return encode(raw, length);
	}

	private byte[] encode(byte[] raw, int length) {
		int bound = 2 * length + 1024;
		if (this.out.length < bound) {
			this.out = new byte[bound];
		}
		this.position = 0;
		this.bits = 0;
		this.bitCount = 0;
		this.out[this.position++] = 0x78;
		this.out[this.position++] = 0x01;
		this.literalFrequencies[256] = 1;
		ensureTwo(this.distanceFrequencies);
		Huffman.lengths(this.literalFrequencies, 286, 15, this.literalLengths);
		Huffman.lengths(this.distanceFrequencies, 30, 15, this.distanceLengths);
		Huffman.codes(this.literalLengths, 286, this.literalCodes);
		Huffman.codes(this.distanceLengths, 30, this.distanceCodes);
		writeHeader();
		writeLiterals(raw, length);
		writeBits(this.literalCodes[256], this.literalLengths[256]);
		flush();
		this.adler.reset();
		this.adler.update(raw, 0, length);
		int checksum = (int) this.adler.getValue();
		this.out[this.position++] = (byte) (checksum >>> 24);
		this.out[this.position++] = (byte) (checksum >>> 16);
		this.out[this.position++] = (byte) (checksum >>> 8);
		this.out[this.position++] = (byte) checksum;
		return this.out;
	}

	/**
	 * The length of the stream the last {@link #deflate} call wrote.
	 * @return the length in bytes
	 */
	int length() {
		return this.position;
	}

	private static void ensureTwo(int[] frequencies) {
		int used = 0;
		for (int f : frequencies) {
			if (f != 0) {
				used++;
			}
		}
		for (int s = 0; used < 2; s++) {
			if (frequencies[s] == 0) {
				frequencies[s] = 1;
				used++;
			}
		}
	}

	private void writeHeader() {
		int hlit = 286;
		while (hlit > 257 && this.literalLengths[hlit - 1] == 0) {
			hlit--;
		}
		int hdist = 30;
		while (hdist > 1 && this.distanceLengths[hdist - 1] == 0) {
			hdist--;
		}
		byte[] all = new byte[hlit + hdist];
		System.arraycopy(this.literalLengths, 0, all, 0, hlit);
		System.arraycopy(this.distanceLengths, 0, all, hlit, hdist);
		// run-length code the lengths: 16 repeats the previous 3-6 times, 17 and 18 are
		// runs of 3-10 and 11-138 zeros; a symbol is code | extra << 5
		int[] symbols = new int[all.length];
		int n = 0;
		Arrays.fill(this.codeLengthFrequencies, 0);
		for (int i = 0; i < all.length;) {
			int value = all[i];
			int run = 1;
			while (i + run < all.length && all[i + run] == value) {
				run++;
			}
			i += run;
			if (value == 0) {
				while (run >= 11) {
					int r = Math.min(run, 138);
					symbols[n++] = 18 | ((r - 11) << 5);
					this.codeLengthFrequencies[18]++;
					run -= r;
				}
				if (run >= 3) {
					symbols[n++] = 17 | ((run - 3) << 5);
					this.codeLengthFrequencies[17]++;
					run = 0;
				}
			}
			else {
				symbols[n++] = value;
				this.codeLengthFrequencies[value]++;
				run--;
				while (run >= 3) {
					int r = Math.min(run, 6);
					symbols[n++] = 16 | ((r - 3) << 5);
					this.codeLengthFrequencies[16]++;
					run -= r;
				}
			}
			for (; run > 0; run--) {
				symbols[n++] = value;
				this.codeLengthFrequencies[value]++;
			}
		}
		ensureTwo(this.codeLengthFrequencies);
		Huffman.lengths(this.codeLengthFrequencies, 19, 7, this.codeLengthLengths);
		Huffman.codes(this.codeLengthLengths, 19, this.codeLengthCodes);
		int hclen = 19;
		while (hclen > 4 && this.codeLengthLengths[CL_ORDER[hclen - 1]] == 0) {
			hclen--;
		}
		writeBits(1, 1);
		writeBits(2, 2);
		writeBits(hlit - 257, 5);
		writeBits(hdist - 1, 5);
		writeBits(hclen - 4, 4);
		for (int i = 0; i < hclen; i++) {
			writeBits(this.codeLengthLengths[CL_ORDER[i]], 3);
		}
		for (int i = 0; i < n; i++) {
			int code = symbols[i] & 0x1f;
			writeBits(this.codeLengthCodes[code], this.codeLengthLengths[code]);
			if (code == 16) {
				writeBits(symbols[i] >>> 5, 2);
			}
			else if (code == 17) {
				writeBits(symbols[i] >>> 5, 3);
			}
			else if (code == 18) {
				writeBits(symbols[i] >>> 5, 7);
			}
		}
	}

	// Write each byte with its code into a 64-bit accumulator, stored eight bytes at a
	// time once it holds 48 bits or more (of which the whole bytes are kept; the buffer
	// has room for the rest): the only branch is that rare one.
	private void writeLiterals(byte[] raw, int length) {
		int[] table = new int[256];
		for (int b = 0; b < 256; b++) {
			table[b] = this.literalCodes[b] | (this.literalLengths[b] << 24);
		}
		while (this.bitCount >= 8) {
			this.out[this.position++] = (byte) this.bits;
			this.bits >>>= 8;
			this.bitCount -= 8;
		}
		byte[] out = this.out;
		long bits = this.bits;
		int count = this.bitCount;
		int p = this.position;
		for (int i = 0; i < length; i++) {
			int code = table[raw[i] & 0xff];
			bits |= ((long) (code & 0xffffff)) << count;
			count += code >>> 24;
			if (count >= 48) {
				LONGS.set(out, p, bits);
				p += count >>> 3;
				bits >>>= (count & 0x38);
				count &= 7;
			}
		}
		LONGS.set(out, p, bits);
		p += count >>> 3;
		bits >>>= (count & 0x38);
		count &= 7;
		this.bits = bits;
		this.bitCount = count;
		this.position = p;
	}

	// Symbol counts of the bytes, in four interleaved tables so that a long run of one
	// byte does not wait on one counter.
	private void count(byte[] raw, int length) {
		int[] a = new int[256];
		int[] b = new int[256];
		int[] c = new int[256];
		int[] d = new int[256];
		int i = 0;
		for (; i + 4 <= length; i += 4) {
			a[raw[i] & 0xff]++;
			b[raw[i + 1] & 0xff]++;
			c[raw[i + 2] & 0xff]++;
			d[raw[i + 3] & 0xff]++;
		}
		for (; i < length; i++) {
			a[raw[i] & 0xff]++;
		}
		Arrays.fill(this.literalFrequencies, 0);
		Arrays.fill(this.distanceFrequencies, 0);
		for (int s = 0; s < 256; s++) {
			this.literalFrequencies[s] = a[s] + b[s] + c[s] + d[s];
		}
	}

	private void writeBits(int value, int count) {
		this.bits |= ((long) value) << this.bitCount;
		this.bitCount += count;
		if (this.bitCount >= 32) {
			byte[] out = this.out;
			int p = this.position;
			long b = this.bits;
			out[p] = (byte) b;
			out[p + 1] = (byte) (b >>> 8);
			out[p + 2] = (byte) (b >>> 16);
			out[p + 3] = (byte) (b >>> 24);
			this.position = p + 4;
			this.bits = b >>> 32;
			this.bitCount -= 32;
		}
	}

	private void flush() {
		while (this.bitCount > 0) {
			this.out[this.position++] = (byte) this.bits;
			this.bits >>>= 8;
			this.bitCount -= 8;
		}
		this.bitCount = 0;
		this.bits = 0;
	}

	/** Length-limited Huffman codes in deflate's canonical form. */
	private static final class Huffman {

		private Huffman() {
		}

		// Code lengths of the symbols from their frequencies (0: unused), none longer
		// than
		// limit: a Huffman tree built with two queues over the sorted symbols; while it
		// is
		// too deep, the frequencies are halved and it is built again.
		static void lengths(int[] frequencies, int n, int limit, byte[] lengths) {
			int[] f = Arrays.copyOf(frequencies, n);
			while (true) {
				if (build(f, n, limit, lengths)) {
					return;
				}
				for (int s = 0; s < n; s++) {
					if (f[s] != 0) {
						f[s] = (f[s] + 1) >>> 1;
					}
				}
			}
		}

		private static boolean build(int[] f, int n, int limit, byte[] lengths) {
			Arrays.fill(lengths, 0, n, (byte) 0);
			long[] leaves = new long[n];
			int m = 0;
			for (int s = 0; s < n; s++) {
				if (f[s] != 0) {
					leaves[m++] = ((long) f[s] << 32) | s;
				}
			}
			if (m == 1) {
				lengths[(int) leaves[0]] = 1;
				return true;
			}
			Arrays.sort(leaves, 0, m);
			// nodes 0..m-1 are the leaves, m.. the internal nodes in creation order
			long[] weight = new long[2 * m];
			int[] parent = new int[2 * m];
			for (int i = 0; i < m; i++) {
				weight[i] = leaves[i] >>> 32;
			}
			int leaf = 0;
			int inner = m;
			int next = m;
			while (next < 2 * m - 1) {
				int a;
				if (leaf < m && (inner >= next || weight[leaf] <= weight[inner])) {
					a = leaf++;
				}
				else {
					a = inner++;
				}
				int b;
				if (leaf < m && (inner >= next || weight[leaf] <= weight[inner])) {
					b = leaf++;
				}
				else {
					b = inner++;
				}
				weight[next] = weight[a] + weight[b];
				parent[a] = next;
				parent[b] = next;
				next++;
			}
			int root = 2 * m - 2;
			int[] depth = new int[2 * m];
			depth[root] = 0;
			for (int node = root - 1; node >= 0; node--) {
				depth[node] = depth[parent[node]] + 1;
			}
			for (int i = 0; i < m; i++) {
				if (depth[i] > limit) {
					return false;
				}
				lengths[(int) leaves[i]] = (byte) depth[i];
			}
			return true;
		}

		// Canonical codes of the lengths, bit-reversed for writing least significant bit
		// first.
		static void codes(byte[] lengths, int n, int[] codes) {
			int[] counts = new int[16];
			for (int s = 0; s < n; s++) {
				counts[lengths[s]]++;
			}
			counts[0] = 0;
			int[] next = new int[16];
			int code = 0;
			for (int bits = 1; bits < 16; bits++) {
				code = (code + counts[bits - 1]) << 1;
				next[bits] = code;
			}
			for (int s = 0; s < n; s++) {
				int length = lengths[s];
				if (length != 0) {
					codes[s] = Integer.reverse(next[length]++) >>> (32 - length);
				}
				else {
					codes[s] = 0;
				}
			}
		}

	}

}
