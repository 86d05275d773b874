package io.github.captchasecurity.provider.builtin;

import java.awt.Color;
import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import io.github.captchasecurity.provider.builtin.ChallengeImages.ShapeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Light tests for {@link ChallengeImages}: sizes, tiles, PNG encoding and the shapes of
 * grid tiles.
 */
class ChallengeImagesTests {

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	@ParameterizedTest
	@CsvSource({ "160, 60, true", "60, 30, false", "400, 120, true" })
	void textWhenRenderedThenRequestedSize(int width, int height, boolean distort) {
		BufferedImage image = ChallengeImages.text("ACE47", width, height, new SplittableRandom(1), distort).toImage();

		assertThat(image.getWidth()).isEqualTo(width);
		assertThat(image.getHeight()).isEqualTo(height);
		assertThat(distinctColours(image)).as("not a blank image").isGreaterThan(10);
	}

	@ParameterizedTest
	@ValueSource(ints = { 100, 300, 450 })
	void gridWhenRenderedThenThreeByThreeTilesSeparatedByWhiteLines(int size) {
		List<List<ShapeKind>> tiles = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			tiles.add(List.of(ShapeKind.values()[i % ShapeKind.values().length]));
		}

		BufferedImage image = ChallengeImages.grid(tiles, size, new SplittableRandom(2)).toImage();

		assertThat(image.getWidth()).isEqualTo(size);
		assertThat(image.getHeight()).isEqualTo(size);
		int tile = size / 3;
		for (int line = 1; line < 3; line++) {
			for (int along = 0; along < size; along += 7) {
				assertThat(isNearWhite(image.getRGB(line * tile, along))).as("vertical line %d at %d", line, along)
					.isTrue();
				assertThat(isNearWhite(image.getRGB(along, line * tile))).as("horizontal line %d at %d", line, along)
					.isTrue();
			}
		}
		assertThat(distinctColours(image)).as("tiles are drawn").isGreaterThan(50);
	}

	@Test
	void pngWhenEncodedThenDecodesToSameImage() throws IOException {
		IndexedCanvas canvas = ChallengeImages.text("XY34", 160, 60, new SplittableRandom(3), true);
		BufferedImage image = canvas.toImage();

		byte[] png = ChallengeImages.png(canvas);

		assertThat(Arrays.copyOf(png, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
		BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
		assertThat(decoded.getWidth()).isEqualTo(160);
		assertThat(decoded.getHeight()).isEqualTo(60);
		for (int y = 0; y < 60; y += 5) {
			for (int x = 0; x < 160; x += 5) {
				assertThat(decoded.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(image.getRGB(x, y));
			}
		}
	}

	@Test
	void unitWhenEveryKindThenDistinctShapesAboutOneUnitAcross() {
		ShapeKind[] kinds = ShapeKind.values();
		for (ShapeKind kind : kinds) {
			Rectangle2D bounds = ChallengeImages.unit(kind).getBounds2D();
			assertThat(bounds.getWidth()).as("%s width", kind).isBetween(0.6, 1.3);
			assertThat(bounds.getHeight()).as("%s height", kind).isBetween(0.6, 1.3);
			assertThat(bounds.getCenterX()).as("%s centre x", kind).isBetween(-0.2, 0.2);
			assertThat(bounds.getCenterY()).as("%s centre y", kind).isBetween(-0.2, 0.2);
			for (ShapeKind other : kinds) {
				if (other != kind) {
					Area difference = new Area(ChallengeImages.unit(kind));
					difference.exclusiveOr(new Area(ChallengeImages.unit(other)));
					assertThat(difference.isEmpty()).as("%s differs from %s", kind, other).isFalse();
				}
			}
		}
	}

	@Test
	void labelWhenEveryKindThenShapePathOfLowerCaseName() {
		assertThat(ShapeKind.TRIANGLE.label()).isEqualTo("/shape/triangle");
		assertThat(ShapeKind.TRIANGLE.noun()).isEqualTo("triangle");
		assertThat(Arrays.stream(ShapeKind.values()).map(ShapeKind::label).distinct())
			.hasSize(ShapeKind.values().length)
			.allMatch((label) -> label.matches("/shape/[a-z]+"));
	}

	private static boolean isNearWhite(int rgb) {
		Color colour = new Color(rgb);
		return colour.getRed() > 230 && colour.getGreen() > 230 && colour.getBlue() > 230;
	}

	private static long distinctColours(BufferedImage image) {
		return Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
			.distinct()
			.count();
	}

}
