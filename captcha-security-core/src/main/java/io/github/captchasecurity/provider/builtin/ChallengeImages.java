package io.github.captchasecurity.provider.builtin;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Renders challenge images into {@link IndexedCanvas} palette images: glyph outlines of
 * the bundled fonts ({@link ChallengeFonts}) and Java2D geometry, no Java2D rendering.
 */
final class ChallengeImages {

	static {
		if (System.getProperty("java.awt.headless") == null) {
			System.setProperty("java.awt.headless", "true");
		}
	}

	/** The shapes a grid tile can show; the wire label is {@code /shape/<name>}. */
	enum ShapeKind {

		CIRCLE, MOON, TRIANGLE, STAR, CROSS, HEART;

		String label() {
			return "/shape/" + name().toLowerCase(Locale.ROOT);
		}

		String noun() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** The unit shape of each kind, by ordinal, built once. */
	private static final Shape[] UNITS = Arrays.stream(ShapeKind.values())
		.map(ChallengeImages::unit)
		.toArray(Shape[]::new);

	private ChallengeImages() {
	}

	// Distorted text: glyphs in mixed fonts, each scaled, rotated and sheared, touching
	// but overlapping
	// their neighbours by at most a tenth of their width, on a noisy background with thin
	// curves below and
	// thick ones across the text, then warped along two sine waves. Without distort:
	// upright, evenly
	// spaced, light noise.
	static IndexedCanvas text(String text, int width, int height, RandomGenerator random, boolean distort) {
		IndexedCanvas canvas = new IndexedCanvas(width, height);
		canvas.gradient(0, 0, width, height, light(random), light(random), 16);
		Rectangle all = new Rectangle(0, 0, width, height);
		dots(canvas, all, random, width * height / (distort ? 18 : 40));
		curves(canvas, all, random, distort ? 4 : 1, 1);
		double amplitude = distort ? height * (0.06 + random.nextDouble() * 0.05) : 0;
		Shape[] glyphs = layout(text, width, height, amplitude, random, distort);
		float hue = random.nextFloat();
		for (Shape glyph : glyphs) {
			// neighbours in clearly different dark hues: a person tells touching glyphs
			// apart by colour, an OCR that binarises the image does not
			hue += 0.3f + random.nextFloat() * 0.4f;
			canvas.fill(glyph, Color.HSBtoRGB(hue, 0.65f + random.nextFloat() * 0.35f, 0.3f + random.nextFloat() * 0.2f)
					& 0xffffff);
		}
		if (distort) {
			curves(canvas, all, random, 2, Math.max(2, Math.round(height / 30f)));
			double period = width * (0.4 + random.nextDouble() * 0.4);
			double phase = random.nextDouble() * Math.PI * 2;
			double hAmplitude = width * 0.015;
			double hPeriod = height * (0.6 + random.nextDouble() * 0.6);
			int[] dy = new int[width];
			for (int x = 0; x < width; x++) {
				dy[x] = (int) Math.round(amplitude * Math.sin(2 * Math.PI * x / period + phase));
			}
			int[] dx = new int[height];
			for (int y = 0; y < height; y++) {
				dx[y] = (int) Math.round(hAmplitude * Math.sin(2 * Math.PI * y / hPeriod + phase));
			}
			canvas.warp(dy, dx);
		}
		return canvas;
	}

	// Place the glyphs: each centred, transformed, then set side by side with at most 10
	// % overlap, the
	// line scaled to fit and kept clear of the top and bottom by the warp's amplitude
	// (the warp wraps
	// around).
	private static Shape[] layout(String text, int width, int height, double amplitude, RandomGenerator random,
			boolean distort) {
		int n = text.length();
		Shape[] shapes = new Shape[n];
		double[] widths = new double[n];
		double size = height * 0.62;
		double total = 0;
		double tallest = 0;
		for (int i = 0; i < n; i++) {
			ChallengeFonts.Glyph glyph = ChallengeFonts.glyph(distort ? random.nextInt(ChallengeFonts.count()) : 0,
					text.charAt(i));
			Rectangle2D bounds = glyph.outline().getBounds2D();
			AffineTransform at = new AffineTransform();
			double scale = size * (distort ? 0.85 + random.nextDouble() * 0.3 : 1.0);
			if (distort) {
				at.rotate((random.nextDouble() - 0.5) * 0.6);
				at.shear((random.nextDouble() - 0.5) * 0.4 - (random.nextBoolean() ? 0.1 : 0), 0);
			}
			at.scale(scale, scale);
			if (bounds.isEmpty()) {
				shapes[i] = null;
				widths[i] = glyph.advance() * scale;
			}
			else {
				at.translate(-bounds.getCenterX(), -bounds.getCenterY());
				Shape transformed = at.createTransformedShape(glyph.outline());
				Rectangle2D box = transformed.getBounds2D();
				// centre the box, not the outline: shear and rotation move it
				shapes[i] = AffineTransform.getTranslateInstance(-box.getCenterX(), -box.getCenterY())
					.createTransformedShape(transformed);
				Rectangle2D placed = shapes[i].getBounds2D();
				widths[i] = placed.getWidth();
				tallest = Math.max(tallest, placed.getHeight());
			}
			total += widths[i];
		}
		double gap = distort ? -0.1 : 0.12;
		double overlap = 0;
		for (int i = 1; i < n; i++) {
			overlap += gap * Math.min(widths[i - 1], widths[i]);
		}
		double line = total + overlap;
		double fit = Math.min(1.0, Math.min(width * 0.9 / line, (height - 2 * amplitude - 4) / Math.max(1, tallest)));
		double x = (width - line * fit) / 2;
		Shape[] placed = new Shape[n];
		int count = 0;
		for (int i = 0; i < n; i++) {
			double w = widths[i] * fit;
			if (shapes[i] != null) {
				Rectangle2D bounds = shapes[i].getBounds2D();
				double h = bounds.getHeight() * fit;
				double room = Math.max(0, (height - 2 * amplitude - 4 - h) / 2);
				double cy = height / 2.0
						+ (distort ? (random.nextDouble() * 2 - 1) * Math.min(room, height * 0.09) : 0);
				AffineTransform at = AffineTransform.getTranslateInstance(x + w / 2, cy);
				at.scale(fit, fit);
				placed[count++] = at.createTransformedShape(shapes[i]);
			}
			x += w;
			if (i + 1 < n) {
				x += gap * Math.min(widths[i], widths[i + 1]) * fit;
			}
		}
		return Arrays.copyOf(placed, count);
	}

	// A 3x3 grid; tiles holds the shapes of each tile, row-major.
	static IndexedCanvas grid(List<List<ShapeKind>> tiles, int size, RandomGenerator random) {
		IndexedCanvas canvas = new IndexedCanvas(size, size);
		int tile = size / 3;
		int white = canvas.index(0xffffff);
		// the tiles cover all but what size % 3 leaves at the right and the bottom
		canvas.rect(3 * tile, 0, size - 3 * tile, size, white);
		canvas.rect(0, 3 * tile, size, size - 3 * tile, white);
		for (int index = 0; index < tiles.size(); index++) {
			int ox = (index % 3) * tile;
			int oy = (index / 3) * tile;
			Rectangle clip = new Rectangle(ox, oy, tile, tile);
			canvas.gradient(ox, oy, tile, tile, light(random), light(random), 8);
			dots(canvas, clip, random, tile * tile / 30);
			curves(canvas, clip, random, 2, Math.max(1, Math.round(tile / 60f)));
			List<ShapeKind> shapes = tiles.get(index);
			for (int s = 0; s < shapes.size(); s++) {
				double scale = tile
						* ((shapes.size() == 1) ? 0.42 + random.nextDouble() * 0.18 : 0.3 + random.nextDouble() * 0.1);
				double cx = (shapes.size() == 1) ? tile / 2.0 + (random.nextDouble() - 0.5) * tile * 0.15
						: tile * (0.3 + 0.4 * s) + (random.nextDouble() - 0.5) * tile * 0.08;
				double cy = (shapes.size() == 1) ? tile / 2.0 + (random.nextDouble() - 0.5) * tile * 0.15
						: tile * (0.3 + 0.4 * ((s + random.nextInt(2)) % 2))
								+ (random.nextDouble() - 0.5) * tile * 0.08;
				AffineTransform at = new AffineTransform();
				at.translate(ox + cx, oy + cy);
				at.rotate(random.nextDouble() * Math.PI * 2 * ((shapes.get(s) == ShapeKind.HEART) ? 0.1 : 1));
				at.scale(scale, scale);
				Shape shape = at.createTransformedShape(UNITS[shapes.get(s).ordinal()]);
				canvas.fillSharp(shape, saturated(random), clip);
				canvas.outline(shape, Math.max(1, Math.round(tile / 100f)), dark(random), clip);
			}
		}
		int line = Math.max(2, Math.round(size / 150f));
		for (int i = 1; i < 3; i++) {
			canvas.rect(i * tile - line / 2, 0, line, size, white);
			canvas.rect(0, i * tile - line / 2, size, line, white);
		}
		return canvas;
	}

	static byte[] png(IndexedCanvas image) {
		return image.png();
	}

	/**
	 * A shape of the kind centred on the origin, about one unit across.
	 * @param kind the kind of shape
	 * @return the shape
	 */
	static Shape unit(ShapeKind kind) {
		return switch (kind) {
			case CIRCLE -> new Ellipse2D.Double(-0.5, -0.5, 1, 1);
			case MOON -> {
				Area moon = new Area(new Ellipse2D.Double(-0.5, -0.5, 1, 1));
				moon.subtract(new Area(new Ellipse2D.Double(-0.22, -0.62, 1, 1)));
				yield moon;
			}
			case TRIANGLE -> polygon(3, 0.58, 0.58);
			case STAR -> polygon(5, 0.6, 0.25);
			case CROSS -> {
				Path2D.Double cross = new Path2D.Double();
				double a = 0.17;
				double b = 0.5;
				cross.moveTo(-a, -b);
				cross.lineTo(a, -b);
				cross.lineTo(a, -a);
				cross.lineTo(b, -a);
				cross.lineTo(b, a);
				cross.lineTo(a, a);
				cross.lineTo(a, b);
				cross.lineTo(-a, b);
				cross.lineTo(-a, a);
				cross.lineTo(-b, a);
				cross.lineTo(-b, -a);
				cross.lineTo(-a, -a);
				cross.closePath();
				yield cross;
			}
			case HEART -> {
				Path2D.Double heart = new Path2D.Double();
				heart.moveTo(0, 0.45);
				heart.curveTo(-0.55, 0.05, -0.5, -0.45, 0, -0.2);
				heart.curveTo(0.5, -0.45, 0.55, 0.05, 0, 0.45);
				heart.closePath();
				yield heart;
			}
		};
	}

	private static Path2D polygon(int points, double outer, double inner) {
		Path2D.Double path = new Path2D.Double();
		int vertices = (outer == inner) ? points : points * 2;
		for (int i = 0; i < vertices; i++) {
			double radius = (outer == inner || i % 2 == 0) ? outer : inner;
			double angle = -Math.PI / 2 + i * 2 * Math.PI / vertices;
			double x = Math.cos(angle) * radius;
			double y = Math.sin(angle) * radius + ((points == 3) ? 0.12 : 0);
			if (i == 0) {
				path.moveTo(x, y);
			}
			else {
				path.lineTo(x, y);
			}
		}
		path.closePath();
		return path;
	}

	private static void dots(IndexedCanvas canvas, Rectangle area, RandomGenerator random, int count) {
		int[] colours = new int[6];
		for (int i = 0; i < colours.length; i++) {
			colours[i] = canvas.index((i % 2 == 0) ? darker(light(random)) : brighter(dark(random)));
		}
		canvas.dots(area, colours, random, count);
	}

	private static void curves(IndexedCanvas canvas, Rectangle area, RandomGenerator random, int count, int thickness) {
		int width = area.width;
		int height = area.height;
		for (int i = 0; i < count; i++) {
			canvas.curve(area.x, area.y + random.nextInt(height), area.x + random.nextInt(width),
					area.y + random.nextInt(height), area.x + random.nextInt(width), area.y + random.nextInt(height),
					area.x + width, area.y + random.nextInt(height), thickness, canvas.index(dark(random)), area);
		}
	}

	private static int light(RandomGenerator random) {
		return rgb(200 + random.nextInt(56), 200 + random.nextInt(56), 200 + random.nextInt(56));
	}

	private static int dark(RandomGenerator random) {
		return rgb(random.nextInt(110), random.nextInt(110), random.nextInt(110));
	}

	private static int saturated(RandomGenerator random) {
		return Color.HSBtoRGB(random.nextFloat(), 0.6f + random.nextFloat() * 0.4f, 0.55f + random.nextFloat() * 0.4f)
				& 0xffffff;
	}

	// Color#darker().
	private static int darker(int rgb) {
		return rgb((int) (((rgb >> 16) & 0xff) * 0.7), (int) (((rgb >> 8) & 0xff) * 0.7), (int) ((rgb & 0xff) * 0.7));
	}

	// Color#brighter(), for colours without a zero channel.
	private static int brighter(int rgb) {
		int r = Math.max(3, (rgb >> 16) & 0xff);
		int g = Math.max(3, (rgb >> 8) & 0xff);
		int b = Math.max(3, rgb & 0xff);
		return rgb(Math.min((int) (r / 0.7), 255), Math.min((int) (g / 0.7), 255), Math.min((int) (b / 0.7), 255));
	}

	private static int rgb(int r, int g, int b) {
		return (r << 16) | (g << 8) | b;
	}

}
