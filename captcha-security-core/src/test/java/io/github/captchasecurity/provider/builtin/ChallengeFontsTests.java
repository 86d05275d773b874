package io.github.captchasecurity.provider.builtin;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled fonts: every character the images draw has a glyph in each, and challenges
 * render, byte for byte the same, in a JVM whose font lookup finds no system font (an
 * empty fontconfig configuration), as on a bare container without fontconfig packages.
 */
class ChallengeFontsTests {

	@Test
	void glyphWhenEveryDrawnCharacterThenEachBundledFontHasAnOutline() {
		assertThat(ChallengeFonts.count()).isEqualTo(3);
		for (int font = 0; font < ChallengeFonts.count(); font++) {
			for (char c : (ChallengeDrawings.ALPHABET + "0123456789+-\u00d7=").toCharArray()) {
				ChallengeFonts.Glyph glyph = ChallengeFonts.glyph(font, c);
				assertThat(glyph.outline().getBounds2D().getHeight()).as("font %d, %s", font, c).isBetween(0.05, 1.2);
				assertThat(glyph.advance()).as("font %d, %s advance", font, c).isPositive();
			}
		}
	}

	@Test
	void renderWhenNoSystemFontCanBeFoundThenSameImagesAsInProcess(@TempDir Path dir)
			throws IOException, InterruptedException {
		Path empty = Files.createDirectories(dir.resolve("fontconfig"));
		Path config = Files.writeString(empty.resolve("fonts.conf"),
				"<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig></fontconfig>\n");
		String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(
				List.of(java, "-Djava.awt.headless=true", "-Duser.home=" + empty, "-Dsun.java2d.fontpath=" + empty,
						"-cp", System.getProperty("java.class.path"), Rendering.class.getName()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("FONTCONFIG_FILE", config.toString());
		builder.environment().put("FONTCONFIG_PATH", empty.toString());
		builder.environment().put("HOME", empty.toString());
		builder.environment().remove("JAVA_TOOL_OPTIONS");
		Process process = builder.start();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("forked JVM finished").isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

		assertThat(process.exitValue()).as("forked JVM exit code, output:%n%s", output).isZero();
		assertThat(output).as("the forked JVM finds no system font").contains("system fonts: none");
		assertThat(output.lines().filter((line) -> line.startsWith("image ")).toList())
			.as("images rendered without system fonts, output:%n%s", output)
			.containsExactlyElementsOf(Rendering.digests());
	}

	/** Renders fixed-seed challenges and prints their digests (run in the forked JVM). */
	public static final class Rendering {

		private Rendering() {
		}

		public static void main(String[] args) {
			try {
				BufferedImage probe = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
				Graphics2D graphics = probe.createGraphics();
				graphics.setFont(new Font(Font.SERIF, Font.BOLD, 12));
				graphics.drawString("A", 0, 10);
				System.out.println("system fonts: found");
			}
			catch (Throwable ex) {
				// what the JDK does without fontconfig fonts: "Fontconfig head is null"
				System.out.println("system fonts: none (" + ex + ")");
			}
			Rendering.digests().forEach(System.out::println);
		}

		static List<String> digests() {
			return List.of(
					"image text " + sha256(ChallengeImages.text("ACE7H", 160, 60, new SplittableRandom(7), true).png()),
					"image math " + sha256(
							ChallengeImages.text("12 \u00d7 3 =", 160, 60, new SplittableRandom(8), false).png()),
					"image grid " + sha256(ChallengeImages.grid(
							List.of(List.of(ChallengeImages.ShapeKind.STAR),
									List.of(ChallengeImages.ShapeKind.MOON, ChallengeImages.ShapeKind.HEART),
									List.of(ChallengeImages.ShapeKind.CROSS), List.of(ChallengeImages.ShapeKind.CIRCLE),
									List.of(ChallengeImages.ShapeKind.TRIANGLE),
									List.of(ChallengeImages.ShapeKind.STAR), List.of(ChallengeImages.ShapeKind.MOON),
									List.of(ChallengeImages.ShapeKind.HEART), List.of(ChallengeImages.ShapeKind.CROSS)),
							300, new SplittableRandom(9))
						.png()));
		}

		private static String sha256(byte[] bytes) {
			try {
				return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
