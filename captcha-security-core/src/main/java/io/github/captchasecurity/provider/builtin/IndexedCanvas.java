package io.github.captchasecurity.provider.builtin;

import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.PathIterator;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

/**
 * An 8-bit palette image (at most 256 colours, no alpha) drawn pixel by pixel, with its
 * own scan conversion of shapes (4x4 samples a pixel) and its own PNG encoder (colour
 * type 3, Sub filter, one IDAT, a pooled {@link ImageDeflater}). Much cheaper than a
 * full-colour {@code BufferedImage} written by ImageIO, which spends most of its time on
 * colour conversion and compressing three bytes a pixel. Not thread-safe; each image is
 * drawn by one thread.
 */
final class IndexedCanvas {

	/** Samples a pixel across and down when filling shapes. */
	private static final int SUB = 4;

	private static final double FLATNESS = 0.25;

	private static final Pool<ImageDeflater> DEFLATERS = new Pool<>(2 * Runtime.getRuntime().availableProcessors());

	private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	private final int width;

	private final int height;

	private final byte[] pixels;

	private final int[] palette = new int[256];

	private int colours;

	/** Palette index of each 15-bit colour key, valid where {@link #keyed} is set. */
	private final byte[] keyIndex = new byte[1 << 15];

	private final boolean[] keyed = new boolean[1 << 15];

	IndexedCanvas(int width, int height) {
		this.width = width;
		this.height = height;
		this.pixels = new byte[width * height];
	}

	int width() {
		return this.width;
	}

	int height() {
		return this.height;
	}

	// The palette index of a colour, adding it while there is room; when the palette is
	// full, the nearest
	// colour already in it.
	int index(int rgb) {
		int key = ((rgb >> 9) & 0x7c00) | ((rgb >> 6) & 0x3e0) | ((rgb >> 3) & 0x1f);
		if (this.keyed[key]) {
			return this.keyIndex[key] & 0xff;
		}
		int index;
		if (this.colours < this.palette.length) {
			index = this.colours++;
			this.palette[index] = rgb & 0xffffff;
		}
		else {
			index = nearest(rgb);
		}
		this.keyed[key] = true;
		this.keyIndex[key] = (byte) index;
		return index;
	}

	private int nearest(int rgb) {
		int best = 0;
		int bestDistance = Integer.MAX_VALUE;
		for (int i = 0; i < this.colours; i++) {
			int dr = ((this.palette[i] >> 16) & 0xff) - ((rgb >> 16) & 0xff);
			int dg = ((this.palette[i] >> 8) & 0xff) - ((rgb >> 8) & 0xff);
			int db = (this.palette[i] & 0xff) - (rgb & 0xff);
			int distance = dr * dr + dg * dg + db * db;
			if (distance < bestDistance) {
				best = i;
				bestDistance = distance;
			}
		}
		return best;
	}

	int rgb(int x, int y) {
		return this.palette[this.pixels[y * this.width + x] & 0xff];
	}

	void set(int x, int y, int index) {
		if (x >= 0 && y >= 0 && x < this.width && y < this.height) {
			this.pixels[y * this.width + x] = (byte) index;
		}
	}

	// Fill a rectangle with a diagonal gradient from from (top left) to to (bottom right)
	// in levels steps.
	void gradient(int x0, int y0, int w, int h, int from, int to, int levels) {
		int span = Math.max(1, w + h - 1);
		byte[] diagonal = new byte[span];
		int[] ramp = new int[levels];
		for (int i = 0; i < levels; i++) {
			ramp[i] = index(mix(from, to, (i + 0.5) / levels));
		}
		for (int d = 0; d < span; d++) {
			diagonal[d] = (byte) ramp[d * levels / span];
		}
		int left = Math.max(0, x0);
		int right = Math.min(this.width, x0 + w);
		for (int y = Math.max(0, y0); y < Math.min(this.height, y0 + h); y++) {
			if (right > left) {
				System.arraycopy(diagonal, (left - x0) + (y - y0), this.pixels, y * this.width + left, right - left);
			}
		}
	}

	// Scatter count dots of one or two pixels across and down, each in one of the colours
	// (palette indices), inside an area: one random long a dot (16 bits each for the
	// colour, x and y, then a bit each for the width and height).
	void dots(Rectangle area, int[] colours, RandomGenerator random, int count) {
		int left = Math.max(0, area.x);
		int top = Math.max(0, area.y);
		int right = Math.min(this.width, area.x + area.width);
		int bottom = Math.min(this.height, area.y + area.height);
		if (right <= left || bottom <= top) {
			return;
		}
		int w = right - left;
		int h = bottom - top;
		byte[] pixels = this.pixels;
		int stride = this.width;
		for (int i = 0; i < count; i++) {
			long r = random.nextLong();
			byte colour = (byte) colours[(int) (((r & 0xffff) * colours.length) >>> 16)];
			int x = left + (int) ((((r >>> 16) & 0xffff) * w) >>> 16);
			int y = top + (int) ((((r >>> 32) & 0xffff) * h) >>> 16);
			int offset = y * stride + x;
			pixels[offset] = colour;
			boolean wide = (r & (1L << 48)) != 0 && x + 1 < right;
			if (wide) {
				pixels[offset + 1] = colour;
			}
			if ((r & (1L << 49)) != 0 && y + 1 < bottom) {
				pixels[offset + stride] = colour;
				if (wide) {
					pixels[offset + stride + 1] = colour;
				}
			}
		}
	}

	// Fill a rectangle with a palette index.
	void rect(int x0, int y0, int w, int h, int index) {
		for (int y = Math.max(0, y0); y < Math.min(this.height, y0 + h); y++) {
			int row = y * this.width;
			Arrays.fill(this.pixels, row + Math.max(0, x0), row + Math.min(this.width, x0 + w), (byte) index);
		}
	}

	// Draw a cubic curve as a line of square dots thickness pixels wide, without
	// anti-aliasing, inside a
	// clip: much cheaper than stroking it with Java2D.
	void curve(double x0, double y0, double x1, double y1, double x2, double y2, double x3, double y3, int thickness,
			int index, Rectangle clip) {
		double length = distance(x1 - x0, y1 - y0) + distance(x2 - x1, y2 - y1) + distance(x3 - x2, y3 - y2);
		// dots at most about 0.7 pixel apart for a thin line, 1.3 for one two pixels
		// wide:
		// the squares overlap either way
		int steps = Math.max(2, (int) (length * 1.5 / Math.min(thickness, 2)));
		int minX = Math.max(0, clip.x);
		int minY = Math.max(0, clip.y);
		int maxX = Math.min(this.width, clip.x + clip.width);
		int maxY = Math.min(this.height, clip.y + clip.height);
		double half = (thickness - 1) / 2.0;
		for (int i = 0; i <= steps; i++) {
			double t = (double) i / steps;
			double u = 1 - t;
			double a = u * u * u;
			double b = 3 * u * u * t;
			double c = 3 * u * t * t;
			double d = t * t * t;
			int px = (int) Math.floor(a * x0 + b * x1 + c * x2 + d * x3 - half + 0.5);
			int py = (int) Math.floor(a * y0 + b * y1 + c * y2 + d * y3 - half + 0.5);
			for (int y = Math.max(minY, py); y < Math.min(maxY, py + thickness); y++) {
				int row = y * this.width;
				for (int x = Math.max(minX, px); x < Math.min(maxX, px + thickness); x++) {
					this.pixels[row + x] = (byte) index;
				}
			}
		}
	}

	// Draw a straight line as square dots thickness pixels wide inside a clip, one dot a
	// pixel along its longer axis (so the dots touch, as along a curve).
	void line(double x0, double y0, double x1, double y1, int thickness, int index, Rectangle clip) {
		int steps = Math.max(1, (int) Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
		int minX = Math.max(0, clip.x);
		int minY = Math.max(0, clip.y);
		int maxX = Math.min(this.width, clip.x + clip.width);
		int maxY = Math.min(this.height, clip.y + clip.height);
		double half = (thickness - 1) / 2.0;
		double stepX = (x1 - x0) / steps;
		double stepY = (y1 - y0) / steps;
		double startX = x0 - half + 0.5;
		double startY = y0 - half + 0.5;
		byte value = (byte) index;
		for (int i = 0; i <= steps; i++) {
			int px = (int) Math.floor(startX + i * stepX);
			int py = (int) Math.floor(startY + i * stepY);
			int top = Math.max(minY, py);
			int bottom = Math.min(maxY, py + thickness);
			int left = Math.max(minX, px);
			int right = Math.min(maxX, px + thickness);
			for (int y = top; y < bottom; y++) {
				int row = y * this.width;
				for (int x = left; x < right; x++) {
					this.pixels[row + x] = value;
				}
			}
		}
	}

	private static double distance(double dx, double dy) {
		return Math.sqrt(dx * dx + dy * dy);
	}

	// Fill a shape with a colour, anti-aliased against what is below it.
	void fill(Shape shape, int rgb) {
		fill(shape, rgb, true, new Rectangle(0, 0, this.width, this.height));
	}

	// Fill a shape with a colour without anti-aliasing (for a fill that an outline drawn
	// over it smooths),
	// inside a clip.
	void fillSharp(Shape shape, int rgb, Rectangle clip) {
		fill(shape, rgb, false, clip);
	}

	// Draw a shape's outline as a line of square dots thickness pixels wide, inside a
	// clip, without
	// anti-aliasing.
	void outline(Shape shape, int thickness, int rgb, Rectangle clip) {
		int index = index(rgb);
		double[] point = new double[6];
		double startX = 0;
		double startY = 0;
		double lastX = 0;
		double lastY = 0;
		for (PathIterator it = shape.getPathIterator(null, FLATNESS); !it.isDone(); it.next()) {
			int type = it.currentSegment(point);
			if (type == PathIterator.SEG_MOVETO) {
				startX = point[0];
				startY = point[1];
				lastX = startX;
				lastY = startY;
			}
			else {
				double x = (type == PathIterator.SEG_CLOSE) ? startX : point[0];
				double y = (type == PathIterator.SEG_CLOSE) ? startY : point[1];
				line(lastX, lastY, x, y, thickness, index, clip);
				lastX = x;
				lastY = y;
			}
		}
	}

	// Scan-convert a shape (non-zero winding, flattened). With smooth, 4x4 samples a
	// pixel: a pixel at
	// least 3/4 covered takes the colour, one about half covered a mix of it and what is
	// below; else one
	// sample a pixel, at its centre.
	private void fill(Shape shape, int rgb, boolean smooth, Rectangle clip) {
		Rectangle bounds = shape.getBounds().intersection(new Rectangle(0, 0, this.width, this.height));
		bounds = bounds.intersection(clip);
		if (bounds.isEmpty()) {
			return;
		}
		double[] edges = edges(shape);
		int edgeCount = edges.length / 5;
		int samples = smooth ? SUB : 1;
		int bw = bounds.width;
		int full = index(rgb);
		// without smoothing a pixel is covered or not: spans go straight into the raster
		int[] coverage = smooth ? new int[bw * bounds.height] : null;
		double[] crossings = new double[Math.max(2, edgeCount)];
		int[] windings = new int[crossings.length];
		int left = bounds.x * samples;
		int right = (bounds.x + bw) * samples;
		int top = bounds.y * samples;
		int rows = bounds.height * samples;
		// bucket the edges by the first sample row they cross: an active edge list
		int[] firstRow = new int[edgeCount];
		int[] lastRow = new int[edgeCount];
		int[] bucketStart = new int[rows + 1];
		for (int e = 0; e < edgeCount; e++) {
			firstRow[e] = Math.max(0, (int) Math.ceil(edges[e * 5 + 1] * samples - 0.5) - top);
			lastRow[e] = Math.min(rows, (int) Math.ceil(edges[e * 5 + 3] * samples - 0.5) - top);
			if (firstRow[e] < lastRow[e]) {
				bucketStart[firstRow[e] + 1]++;
			}
		}
		for (int r = 0; r < rows; r++) {
			bucketStart[r + 1] += bucketStart[r];
		}
		int[] byRow = new int[bucketStart[rows]];
		int[] fill = Arrays.copyOf(bucketStart, rows);
		for (int e = 0; e < edgeCount; e++) {
			if (firstRow[e] < lastRow[e]) {
				byRow[fill[firstRow[e]]++] = e;
			}
		}
		int[] active = new int[Math.max(1, edgeCount)];
		int activeCount = 0;
		for (int r = 0; r < rows; r++) {
			int sub = top + r;
			double sy = (sub + 0.5) / samples;
			int kept = 0;
			for (int a = 0; a < activeCount; a++) {
				if (lastRow[active[a]] > r) {
					active[kept++] = active[a];
				}
			}
			activeCount = kept;
			for (int b = bucketStart[r]; b < bucketStart[r + 1]; b++) {
				active[activeCount++] = byRow[b];
			}
			int n = 0;
			for (int a = 0; a < activeCount; a++) {
				int e = active[a] * 5;
				double x = edges[e] + (sy - edges[e + 1]) * edges[e + 4];
				int winding = (edges[e + 2] > 0) ? 1 : -1;
				int i = n++;
				while (i > 0 && crossings[i - 1] > x) {
					crossings[i] = crossings[i - 1];
					windings[i] = windings[i - 1];
					i--;
				}
				crossings[i] = x;
				windings[i] = winding;
			}
			int row = (sub / samples - bounds.y) * bw;
			int winding = 0;
			double start = 0;
			for (int i = 0; i < n; i++) {
				int before = winding;
				winding += windings[i];
				if (before == 0 && winding != 0) {
					start = crossings[i];
				}
				else if (before != 0 && winding == 0) {
					int a = Math.max(left, (int) Math.round(start * samples));
					int b = Math.min(right, (int) Math.round(crossings[i] * samples));
					if (coverage == null) {
						if (a < b) {
							int offset = sub * this.width;
							Arrays.fill(this.pixels, offset + a, offset + b, (byte) full);
						}
						continue;
					}
					for (int px = a / samples; a < b; px++) {
						int end = Math.min(b, (px + 1) * samples);
						coverage[row + px - bounds.x] += end - a;
						a = end;
					}
				}
			}
		}
		if (coverage == null) {
			return;
		}
		int[] blends = null;
		int solid = smooth ? 12 : 1;
		for (int y = 0; y < bounds.height; y++) {
			int offset = (bounds.y + y) * this.width + bounds.x;
			for (int x = 0; x < bw; x++) {
				int c = coverage[y * bw + x];
				if (c >= solid) {
					this.pixels[offset + x] = (byte) full;
				}
				else if (smooth && c >= 5) {
					if (blends == null) {
						blends = new int[256];
						Arrays.fill(blends, -1);
					}
					int below = this.pixels[offset + x] & 0xff;
					if (blends[below] < 0) {
						blends[below] = index(mix(this.palette[below], rgb, 0.5));
					}
					this.pixels[offset + x] = (byte) blends[below];
				}
			}
		}
	}

	// The shape's flattened edges, five numbers each: top x, top y, 1 if it goes down
	// (else -1), bottom y,
	// and dx/dy. Horizontal edges are left out.
	private static double[] edges(Shape shape) {
		double[] edges = new double[5 * 64];
		int count = 0;
		double[] point = new double[6];
		double startX = 0;
		double startY = 0;
		double lastX = 0;
		double lastY = 0;
		for (PathIterator it = shape.getPathIterator(null, FLATNESS); !it.isDone(); it.next()) {
			int type = it.currentSegment(point);
			double x;
			double y;
			if (type == PathIterator.SEG_MOVETO) {
				if (lastX != startX || lastY != startY) {
					count = edge(edges, count, lastX, lastY, startX, startY);
					edges = (count + 5 > edges.length) ? Arrays.copyOf(edges, edges.length * 2) : edges;
				}
				startX = point[0];
				startY = point[1];
				lastX = startX;
				lastY = startY;
				continue;
			}
			x = (type == PathIterator.SEG_CLOSE) ? startX : point[0];
			y = (type == PathIterator.SEG_CLOSE) ? startY : point[1];
			count = edge(edges, count, lastX, lastY, x, y);
			edges = (count + 5 > edges.length) ? Arrays.copyOf(edges, edges.length * 2) : edges;
			lastX = x;
			lastY = y;
		}
		if (lastX != startX || lastY != startY) {
			count = edge(edges, count, lastX, lastY, startX, startY);
		}
		return Arrays.copyOf(edges, count);
	}

	private static int edge(double[] edges, int count, double x0, double y0, double x1, double y1) {
		if (y0 == y1) {
			return count;
		}
		boolean down = y1 > y0;
		edges[count] = down ? x0 : x1;
		edges[count + 1] = down ? y0 : y1;
		edges[count + 2] = down ? 1 : -1;
		edges[count + 3] = down ? y1 : y0;
		edges[count + 4] = (x1 - x0) / (y1 - y0);
		return count + 5;
	}

	// Shift each column down by dy[x] and then each row right by dx[y], wrapping around:
	// the sine warp of
	// the text challenge.
	void warp(int[] dy, int[] dx) {
		byte[] column = new byte[this.height];
		for (int x = 0; x < this.width; x++) {
			int shift = Math.floorMod(dy[x], this.height);
			for (int y = 0; y < this.height; y++) {
				int sy = y + shift;
				column[y] = this.pixels[((sy < this.height) ? sy : sy - this.height) * this.width + x];
			}
			for (int y = 0; y < this.height; y++) {
				this.pixels[y * this.width + x] = column[y];
			}
		}
		byte[] row = new byte[this.width];
		for (int y = 0; y < this.height; y++) {
			int offset = y * this.width;
			int shift = Math.floorMod(dx[y], this.width);
			System.arraycopy(this.pixels, offset + shift, row, 0, this.width - shift);
			System.arraycopy(this.pixels, offset, row, this.width - shift, shift);
			System.arraycopy(row, 0, this.pixels, offset, this.width);
		}
	}

	// The image as an 8-bit palette PNG: scan lines with the Sub filter (each byte the
	// difference to the one on its left), one IDAT written by a pooled ImageDeflater.
	byte[] png() {
		ImageDeflater deflater = DEFLATERS.take();
		if (deflater == null) {
			deflater = new ImageDeflater();
		}
		try {
			byte[] compressed = deflater.deflateSub(this.pixels, this.width, this.height);
			int length = deflater.length();
			byte[] png = new byte[SIGNATURE.length + 25 + 12 + this.colours * 3 + 12 + length + 12];
			System.arraycopy(SIGNATURE, 0, png, 0, SIGNATURE.length);
			int at = SIGNATURE.length;
			at = chunkStart(png, at, "IHDR", 13);
			putInt(png, at, this.width);
			putInt(png, at + 4, this.height);
			png[at + 8] = 8;
			png[at + 9] = 3;
			at = chunkEnd(png, at + 13, 13);
			at = chunkStart(png, at, "PLTE", this.colours * 3);
			for (int i = 0; i < this.colours; i++) {
				png[at++] = (byte) (this.palette[i] >> 16);
				png[at++] = (byte) (this.palette[i] >> 8);
				png[at++] = (byte) this.palette[i];
			}
			at = chunkEnd(png, at, this.colours * 3);
			at = chunkStart(png, at, "IDAT", length);
			System.arraycopy(compressed, 0, png, at, length);
			at = chunkEnd(png, at + length, length);
			at = chunkStart(png, at, "IEND", 0);
			chunkEnd(png, at, 0);
			return png;
		}
		finally {
			DEFLATERS.give(deflater);
		}
	}

	// A copy as a BufferedImage (tests and the sample sheet).
	BufferedImage toImage() {
		int[] rgbs = Arrays.copyOf(this.palette, Math.max(1, this.colours));
		IndexColorModel model = new IndexColorModel(8, rgbs.length, rgbs, 0, false, -1, DataBuffer.TYPE_BYTE);
		BufferedImage image = new BufferedImage(this.width, this.height, BufferedImage.TYPE_BYTE_INDEXED, model);
		byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
		System.arraycopy(this.pixels, 0, target, 0, this.pixels.length);
		return image;
	}

	static int mix(int from, int to, double t) {
		int r = (int) Math.round(((from >> 16) & 0xff) * (1 - t) + ((to >> 16) & 0xff) * t);
		int g = (int) Math.round(((from >> 8) & 0xff) * (1 - t) + ((to >> 8) & 0xff) * t);
		int b = (int) Math.round((from & 0xff) * (1 - t) + (to & 0xff) * t);
		return (r << 16) | (g << 8) | b;
	}

	// Write a chunk's length and type at offset; returns the offset of its data.
	private static int chunkStart(byte[] png, int offset, String type, int length) {
		putInt(png, offset, length);
		for (int i = 0; i < 4; i++) {
			png[offset + 4 + i] = (byte) type.charAt(i);
		}
		return offset + 8;
	}

	// Write the CRC of the chunk whose data (length bytes) ends at offset; returns the
	// offset after it.
	private static int chunkEnd(byte[] png, int offset, int length) {
		CRC32 crc = new CRC32();
		crc.update(png, offset - length - 4, length + 4);
		putInt(png, offset, (int) crc.getValue());
		return offset + 4;
	}

	private static void putInt(byte[] target, int offset, int value) {
		target[offset] = (byte) (value >>> 24);
		target[offset + 1] = (byte) (value >>> 16);
		target[offset + 2] = (byte) (value >>> 8);
		target[offset + 3] = (byte) value;
	}

	/**
	 * A few idle objects kept for reuse, so that drawing allocates no mask and no
	 * deflater in the steady state; lock-free, holds at most its number of slots.
	 */
	private static final class Pool<T> {

		private final AtomicReferenceArray<T> slots;

		Pool(int size) {
			this.slots = new AtomicReferenceArray<>(size);
		}

		@Nullable T take() {
			for (int i = 0; i < this.slots.length(); i++) {
				T item = this.slots.getAndSet(i, null);
				if (item != null) {
					return item;
				}
			}
			return null;
		}

		boolean give(T item) {
			for (int i = 0; i < this.slots.length(); i++) {
				if (this.slots.compareAndSet(i, null, item)) {
					return true;
				}
			}
			return false;
		}

	}

}
