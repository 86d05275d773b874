package io.github.captchasecurity.provider.builtin;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import javax.imageio.ImageIO;

/** Renders challenge images with Java2D, headless. */
final class ChallengeImages {

	private static final String[] FONTS = { Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED };

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

	private ChallengeImages() {
	}

	/**
	 * Distorted text: glyphs in mixed fonts, rotated, sheared and overlapping, on a noisy
	 * background, warped along a sine wave, with curves crossing the text.
	 * @param text the text to draw
	 * @param width the image width in pixels
	 * @param height the image height in pixels
	 * @param random the source of randomness
	 * @param distort whether to distort heavily (false: a lighter image, for the math
	 * question)
	 * @return the image
	 */
	static BufferedImage text(String text, int width, int height, RandomGenerator random, boolean distort) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setPaint(new GradientPaint(0, 0, light(random), width, height, light(random)));
			g.fillRect(0, 0, width, height);
			dots(g, width, height, random, width * height / (distort ? 18 : 40));
			curves(g, width, height, random, distort ? 4 : 1, 1f);
			float size = height * 0.62f;
			double step = width * 0.84 / text.length();
			double x = width * 0.08;
			for (int i = 0; i < text.length(); i++) {
				Font font = new Font(FONTS[random.nextInt(FONTS.length)],
						random.nextBoolean() ? Font.BOLD : Font.BOLD | Font.ITALIC,
						Math.round(size * (0.85f + random.nextFloat() * 0.3f)));
				AffineTransform at = new AffineTransform();
				at.translate(x + random.nextDouble() * step * 0.15,
						height * 0.72 + (random.nextDouble() - 0.5) * height * 0.18);
				if (distort) {
					at.rotate((random.nextDouble() - 0.5) * 0.7);
					at.shear((random.nextDouble() - 0.5) * 0.4, 0);
				}
				g.setFont(font.deriveFont(at));
				g.setColor(dark(random));
				g.drawString(String.valueOf(text.charAt(i)), 0, 0);
				x += step * (distort ? 0.92 : 1.0);
			}
			if (distort) {
				curves(g, width, height, random, 2, Math.max(1.5f, height / 30f));
			}
		}
		finally {
			g.dispose();
		}
		return distort ? warp(image, random) : image;
	}

	/**
	 * A 3x3 grid; {@code tiles} holds the shapes of each tile, row-major.
	 * @param tiles the shapes of each tile
	 * @param size the image width and height in pixels
	 * @param random the source of randomness
	 * @return the image
	 */
	static BufferedImage grid(List<List<ShapeKind>> tiles, int size, RandomGenerator random) {
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			int tile = size / 3;
			for (int index = 0; index < tiles.size(); index++) {
				int ox = (index % 3) * tile;
				int oy = (index / 3) * tile;
				g.setPaint(new GradientPaint(ox, oy, light(random), ox + tile, oy + tile, light(random)));
				g.fillRect(ox, oy, tile, tile);
				Graphics2D tg = (Graphics2D) g.create(ox, oy, tile, tile);
				try {
					dots(tg, tile, tile, random, tile * tile / 30);
					curves(tg, tile, tile, random, 2, Math.max(1f, tile / 60f));
					List<ShapeKind> shapes = tiles.get(index);
					for (int s = 0; s < shapes.size(); s++) {
						double scale = tile * ((shapes.size() == 1) ? 0.42 + random.nextDouble() * 0.18
								: 0.3 + random.nextDouble() * 0.1);
						double cx = (shapes.size() == 1) ? tile / 2.0 + (random.nextDouble() - 0.5) * tile * 0.15
								: tile * (0.3 + 0.4 * s) + (random.nextDouble() - 0.5) * tile * 0.08;
						double cy = (shapes.size() == 1) ? tile / 2.0 + (random.nextDouble() - 0.5) * tile * 0.15
								: tile * (0.3 + 0.4 * ((s + random.nextInt(2)) % 2))
										+ (random.nextDouble() - 0.5) * tile * 0.08;
						AffineTransform at = new AffineTransform();
						at.translate(cx, cy);
						at.rotate(random.nextDouble() * Math.PI * 2 * ((shapes.get(s) == ShapeKind.HEART) ? 0.1 : 1));
						at.scale(scale, scale);
						Shape shape = at.createTransformedShape(unit(shapes.get(s)));
						tg.setColor(saturated(random));
						tg.fill(shape);
						tg.setColor(dark(random));
						tg.setStroke(new BasicStroke(Math.max(1f, tile / 100f)));
						tg.draw(shape);
					}
				}
				finally {
					tg.dispose();
				}
			}
			g.setColor(Color.WHITE);
			g.setStroke(new BasicStroke(Math.max(2f, size / 150f)));
			for (int i = 1; i < 3; i++) {
				g.drawLine(i * tile, 0, i * tile, size);
				g.drawLine(0, i * tile, size, i * tile);
			}
		}
		finally {
			g.dispose();
		}
		return image;
	}

	static byte[] png(BufferedImage image) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
		try {
			if (!ImageIO.write(image, "png", out)) {
				throw new IllegalStateException("No PNG writer available");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
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

	private static BufferedImage warp(BufferedImage source, RandomGenerator random) {
		int width = source.getWidth();
		int height = source.getHeight();
		BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		double amplitude = height * (0.06 + random.nextDouble() * 0.05);
		double period = width * (0.4 + random.nextDouble() * 0.4);
		double phase = random.nextDouble() * Math.PI * 2;
		double hAmplitude = width * 0.015;
		double hPeriod = height * (0.6 + random.nextDouble() * 0.6);
		int[] row = new int[width];
		int[] column = new int[height];
		int[] pixels = source.getRGB(0, 0, width, height, null, 0, width);
		for (int x = 0; x < width; x++) {
			int dy = (int) Math.round(amplitude * Math.sin(2 * Math.PI * x / period + phase));
			for (int y = 0; y < height; y++) {
				int sy = Math.floorMod(y + dy, height);
				column[y] = pixels[sy * width + x];
			}
			for (int y = 0; y < height; y++) {
				pixels[y * width + x] = column[y];
			}
		}
		for (int y = 0; y < height; y++) {
			int dx = (int) Math.round(hAmplitude * Math.sin(2 * Math.PI * y / hPeriod + phase));
			for (int x = 0; x < width; x++) {
				row[x] = pixels[y * width + Math.floorMod(x + dx, width)];
			}
			target.setRGB(0, y, width, 1, row, 0, width);
		}
		return target;
	}

	private static void dots(Graphics2D g, int width, int height, RandomGenerator random, int count) {
		for (int i = 0; i < count; i++) {
			g.setColor(random.nextBoolean() ? light(random).darker() : dark(random).brighter());
			g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(2), 1 + random.nextInt(2));
		}
	}

	private static void curves(Graphics2D g, int width, int height, RandomGenerator random, int count, float stroke) {
		g.setStroke(new BasicStroke(stroke));
		for (int i = 0; i < count; i++) {
			g.setColor(dark(random));
			g.draw(new CubicCurve2D.Double(0, random.nextInt(height), random.nextInt(width), random.nextInt(height),
					random.nextInt(width), random.nextInt(height), width, random.nextInt(height)));
		}
	}

	private static Color light(RandomGenerator random) {
		return new Color(200 + random.nextInt(56), 200 + random.nextInt(56), 200 + random.nextInt(56));
	}

	private static Color dark(RandomGenerator random) {
		return new Color(random.nextInt(110), random.nextInt(110), random.nextInt(110));
	}

	private static Color saturated(RandomGenerator random) {
		return Color.getHSBColor(random.nextFloat(), 0.6f + random.nextFloat() * 0.4f,
				0.55f + random.nextFloat() * 0.4f);
	}

}
