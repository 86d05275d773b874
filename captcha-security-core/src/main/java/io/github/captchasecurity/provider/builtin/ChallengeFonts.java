package io.github.captchasecurity.provider.builtin;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fonts of the challenge images, bundled with the library (subsets of DejaVu Sans
 * Bold, DejaVu Serif Bold and DejaVu Sans Mono Bold, licence in
 * {@code fonts/LICENSE-DejaVu.txt}) so that challenges look the same on a bare container
 * without fontconfig or system fonts. The outlines are read once from the TrueType tables
 * by a small reader of our own rather than with {@code Font.createFont}: the JDK's font
 * manager, which {@code createFont} needs, fails to start where fontconfig finds no font
 * ("Fontconfig head is null"), exactly the bare container this is for. Drawing a
 * challenge never touches the JDK's font system.
 */
final class ChallengeFonts {

	/** Every character the images draw: the answers' alphabet and the math question. */
	static final String CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-\u00d7=?";

	private static final String[] FILES = { "DejaVuSans-Bold-subset.ttf", "DejaVuSerif-Bold-subset.ttf",
			"DejaVuSansMono-Bold-subset.ttf" };

	private static final double SPACE = 0.32;

	private static final List<Map<Character, Glyph>> GLYPHS = load();

	private ChallengeFonts() {
	}

	// How many fonts there are to choose from.
	static int count() {
		return GLYPHS.size();
	}

	// The glyph of a character in one of the fonts, one unit per em, baseline at 0; a
	// space is an empty
	// outline with an advance. @throws IllegalArgumentException if the character is not
	// bundled
	static Glyph glyph(int font, char character) {
		if (character == ' ') {
			return new Glyph(new Path2D.Double(), SPACE);
		}
		Glyph glyph = GLYPHS.get(font).get(character);
		if (glyph == null) {
			throw new IllegalArgumentException("No bundled glyph for U+" + Integer.toHexString(character));
		}
		return glyph;
	}

	private static List<Map<Character, Glyph>> load() {
		List<Map<Character, Glyph>> glyphs = new ArrayList<>();
		for (String file : FILES) {
			TrueType font = new TrueType(read(file));
			Map<Character, Glyph> map = new HashMap<>();
			for (char c : CHARACTERS.toCharArray()) {
				int index = font.glyphIndex(c);
				Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO);
				font.outline(index, new AffineTransform(), path, 0);
				if (index == 0 || path.getBounds2D().isEmpty()) {
					throw new IllegalStateException("Bundled font " + file + " has no glyph for " + c);
				}
				map.put(c, new Glyph(path, font.advance(index)));
			}
			glyphs.add(Map.copyOf(map));
		}
		return List.copyOf(glyphs);
	}

	private static byte[] read(String file) {
		try (InputStream in = ChallengeFonts.class.getResourceAsStream("fonts/" + file)) {
			if (in == null) {
				throw new IllegalStateException("Bundled font fonts/" + file + " is missing from the class path");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Just enough of a TrueType reader for glyph outlines: the {@code cmap} (format 4),
	 * {@code loca}, {@code glyf} (simple and composite glyphs) and {@code hmtx} tables.
	 * Outlines come out one unit per em, y down, baseline at 0.
	 */
	private static final class TrueType {

		private final ByteBuffer data;

		private final double unitsPerEm;

		private final boolean longOffsets;

		private final int loca;

		private final int glyf;

		private final int hmtx;

		private final int metrics;

		private final int cmap;

		TrueType(byte[] bytes) {
			this.data = ByteBuffer.wrap(bytes);
			Map<String, Integer> tables = new HashMap<>();
			int count = u16(4);
			for (int i = 0; i < count; i++) {
				int entry = 12 + 16 * i;
				tables.put(new String(bytes, entry, 4, StandardCharsets.US_ASCII), this.data.getInt(entry + 8));
			}
			for (String table : new String[] { "head", "loca", "glyf", "hhea", "hmtx", "cmap" }) {
				if (!tables.containsKey(table)) {
					throw new IllegalStateException("Bundled font lacks its " + table + " table");
				}
			}
			int head = tables.get("head");
			this.unitsPerEm = u16(head + 18);
			this.longOffsets = this.data.getShort(head + 50) != 0;
			this.loca = tables.get("loca");
			this.glyf = tables.get("glyf");
			this.hmtx = tables.get("hmtx");
			this.metrics = u16(tables.get("hhea") + 34);
			this.cmap = format4(tables.get("cmap"));
		}

		private int format4(int table) {
			int count = u16(table + 2);
			for (int i = 0; i < count; i++) {
				int platform = u16(table + 4 + 8 * i);
				int encoding = u16(table + 6 + 8 * i);
				int offset = table + this.data.getInt(table + 8 + 8 * i);
				if ((platform == 3 && encoding == 1 || platform == 0) && u16(offset) == 4) {
					return offset;
				}
			}
			throw new IllegalStateException("Bundled font has no Unicode cmap of format 4");
		}

		int glyphIndex(char c) {
			int segments = u16(this.cmap + 6) / 2;
			int ends = this.cmap + 14;
			int starts = ends + 2 * segments + 2;
			int deltas = starts + 2 * segments;
			int ranges = deltas + 2 * segments;
			for (int i = 0; i < segments; i++) {
				if (u16(ends + 2 * i) >= c) {
					int start = u16(starts + 2 * i);
					if (start > c) {
						return 0;
					}
					int delta = this.data.getShort(deltas + 2 * i);
					int range = u16(ranges + 2 * i);
					if (range == 0) {
						return (c + delta) & 0xffff;
					}
					int glyph = u16(ranges + 2 * i + range + 2 * (c - start));
					return (glyph == 0) ? 0 : (glyph + delta) & 0xffff;
				}
			}
			return 0;
		}

		double advance(int glyph) {
			return u16(this.hmtx + 4 * Math.min(glyph, this.metrics - 1)) / this.unitsPerEm;
		}

		void outline(int glyph, AffineTransform transform, Path2D.Double path, int depth) {
			int start = offset(glyph);
			if (offset(glyph + 1) == start || depth > 4) {
				return;
			}
			int at = this.glyf + start;
			int contours = this.data.getShort(at);
			if (contours >= 0) {
				simple(at, contours, transform, path);
				return;
			}
			int p = at + 10;
			int flags;
			do {
				flags = u16(p);
				int component = u16(p + 2);
				p += 4;
				double dx;
				double dy;
				if ((flags & 1) != 0) {
					dx = this.data.getShort(p);
					dy = this.data.getShort(p + 2);
					p += 4;
				}
				else {
					dx = this.data.get(p);
					dy = this.data.get(p + 1);
					p += 2;
				}
				double a = 1;
				double b = 0;
				double c = 0;
				double d = 1;
				if ((flags & 0x08) != 0) {
					a = f2dot14(p);
					d = a;
					p += 2;
				}
				else if ((flags & 0x40) != 0) {
					a = f2dot14(p);
					d = f2dot14(p + 2);
					p += 4;
				}
				else if ((flags & 0x80) != 0) {
					a = f2dot14(p);
					b = f2dot14(p + 2);
					c = f2dot14(p + 4);
					d = f2dot14(p + 6);
					p += 8;
				}
				AffineTransform child = new AffineTransform(transform);
				if ((flags & 2) != 0) {
					child.translate(dx / this.unitsPerEm, -dy / this.unitsPerEm);
				}
				child.concatenate(new AffineTransform(a, -b, -c, d, 0, 0));
				outline(component, child, path, depth + 1);
			}
			while ((flags & 0x20) != 0);
		}

		private void simple(int at, int contours, AffineTransform transform, Path2D.Double path) {
			int[] ends = new int[contours];
			for (int i = 0; i < contours; i++) {
				ends[i] = u16(at + 10 + 2 * i);
			}
			int points = (contours == 0) ? 0 : ends[contours - 1] + 1;
			int p = at + 10 + 2 * contours;
			p += 2 + u16(p);
			byte[] flags = new byte[points];
			for (int i = 0; i < points; i++) {
				byte flag = this.data.get(p++);
				flags[i] = flag;
				if ((flag & 8) != 0) {
					int repeat = this.data.get(p++) & 0xff;
					for (int r = 0; r < repeat && i + 1 < points; r++) {
						flags[++i] = flag;
					}
				}
			}
			double[] xs = new double[points];
			double[] ys = new double[points];
			int value = 0;
			for (int i = 0; i < points; i++) {
				if ((flags[i] & 2) != 0) {
					int delta = this.data.get(p++) & 0xff;
					value += ((flags[i] & 16) != 0) ? delta : -delta;
				}
				else if ((flags[i] & 16) == 0) {
					value += this.data.getShort(p);
					p += 2;
				}
				xs[i] = value;
			}
			value = 0;
			for (int i = 0; i < points; i++) {
				if ((flags[i] & 4) != 0) {
					int delta = this.data.get(p++) & 0xff;
					value += ((flags[i] & 32) != 0) ? delta : -delta;
				}
				else if ((flags[i] & 32) == 0) {
					value += this.data.getShort(p);
					p += 2;
				}
				ys[i] = value;
			}
			double[] point = new double[2];
			int first = 0;
			for (int contour = 0; contour < contours; contour++) {
				int last = ends[contour];
				int n = last - first + 1;
				if (n > 1) {
					contour(flags, xs, ys, first, n, transform, path, point);
				}
				first = last + 1;
			}
		}

		// One closed quadratic contour, with the implied on-curve points between two
		// off-curve ones.
		private void contour(byte[] flags, double[] xs, double[] ys, int first, int n, AffineTransform transform,
				Path2D.Double path, double[] point) {
			int startIndex = -1;
			for (int i = 0; i < n; i++) {
				if ((flags[first + i] & 1) != 0) {
					startIndex = i;
					break;
				}
			}
			double startX;
			double startY;
			if (startIndex < 0) {
				startX = (xs[first] + xs[first + 1]) / 2;
				startY = (ys[first] + ys[first + 1]) / 2;
				startIndex = 0;
			}
			else {
				startX = xs[first + startIndex];
				startY = ys[first + startIndex];
			}
			move(path, transform, point, startX, startY);
			double controlX = 0;
			double controlY = 0;
			boolean pending = false;
			for (int k = 1; k <= n; k++) {
				int i = first + (startIndex + k) % n;
				double x = xs[i];
				double y = ys[i];
				if ((flags[i] & 1) != 0) {
					if (pending) {
						quad(path, transform, point, controlX, controlY, x, y);
						pending = false;
					}
					else {
						line(path, transform, point, x, y);
					}
				}
				else {
					if (pending) {
						double midX = (controlX + x) / 2;
						double midY = (controlY + y) / 2;
						quad(path, transform, point, controlX, controlY, midX, midY);
					}
					controlX = x;
					controlY = y;
					pending = true;
				}
			}
			if (pending) {
				quad(path, transform, point, controlX, controlY, startX, startY);
			}
			path.closePath();
		}

		private void move(Path2D.Double path, AffineTransform transform, double[] point, double x, double y) {
			map(transform, point, x, y);
			path.moveTo(point[0], point[1]);
		}

		private void line(Path2D.Double path, AffineTransform transform, double[] point, double x, double y) {
			map(transform, point, x, y);
			path.lineTo(point[0], point[1]);
		}

		private void quad(Path2D.Double path, AffineTransform transform, double[] point, double cx, double cy, double x,
				double y) {
			map(transform, point, cx, cy);
			double mappedX = point[0];
			double mappedY = point[1];
			map(transform, point, x, y);
			path.quadTo(mappedX, mappedY, point[0], point[1]);
		}

		private void map(AffineTransform transform, double[] point, double x, double y) {
			point[0] = x / this.unitsPerEm;
			point[1] = -y / this.unitsPerEm;
			transform.transform(point, 0, point, 0, 1);
		}

		private int offset(int glyph) {
			return this.longOffsets ? this.data.getInt(this.loca + 4 * glyph) : 2 * u16(this.loca + 2 * glyph);
		}

		private double f2dot14(int at) {
			return this.data.getShort(at) / 16384.0;
		}

		private int u16(int at) {
			return this.data.getShort(at) & 0xffff;
		}

	}

	/**
	 * A glyph outline, one unit per em with the baseline at 0, never modified.
	 *
	 * @param outline the outline
	 * @param advance the advance width in ems
	 */
	record Glyph(Shape outline, double advance) {
	}

}
