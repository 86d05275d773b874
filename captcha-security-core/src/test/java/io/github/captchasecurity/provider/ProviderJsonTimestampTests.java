package io.github.captchasecurity.provider;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the formatter-free reading of common timestamps in
 * {@link ProviderJson#timestamp(String)}: it must give exactly what the ISO formatters
 * give, and leave everything else to them.
 */
class ProviderJsonTimestampTests {

	@Test
	void timestampWhenCommonFormsThenSameInstantAsTheFormatter() {
		Random random = new Random(13);
		String[] offsets = { "Z", "+02:00", "-05:30", "+0100", "-1800", "+18:00", "" };
		for (int i = 0; i < 20_000; i++) {
			LocalDateTime time = LocalDateTime.of(1 + random.nextInt(9999), 1 + random.nextInt(12), 1, 0, 0)
				.plusDays(random.nextInt(31))
				.plusSeconds(random.nextInt(86_400))
				.withNano((random.nextBoolean()) ? 0 : random.nextInt(1_000_000_000));
			String fraction = (time.getNano() == 0) ? ""
					: String.format(".%09d", time.getNano()).substring(0, 2 + random.nextInt(9));
			String offset = offsets[random.nextInt(offsets.length)];
			String text = time.withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + fraction + offset;

			assertThat(ProviderJson.timestamp(text)).as(text).isEqualTo(expected(text));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "2024-05-01T10:60:00Z", "2024-05-01T10:15:60Z", "2024-05-01T10:15:30+19:00",
			"2024-05-01T10:15:30.1234567890Z", "2024-05-01 10:15:30Z", "+2024-05-01T10:15:30Z",
			"2024-05-01T10:15:30Zjunk" })
	void timestampWhenNotAReadableFormThenNull(String text) {
		assertThat(ProviderJson.timestamp(text)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "2024-02-30T10:15:30Z", "2024-05-01T24:00:00Z", "2024-05-01T10:15:30.Z",
			"2024-05-01T10:15:30+02" })
	void timestampWhenFormatterResolvesItThenSameAsBefore(String text) {
		// forms the fast path leaves to the formatters, which resolve them as they always
		// did
		assertThat(ProviderJson.timestamp(text)).isNotNull();
	}

	@Test
	void timestampWhenLeapDayAndEpochEdgesThenRead() {
		assertThat(ProviderJson.timestamp("2024-02-29T23:59:59.999999999Z"))
			.isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
		assertThat(ProviderJson.timestamp("1970-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
		assertThat(ProviderJson.timestamp("1969-12-31T23:59:59-00:01"))
			.isEqualTo(Instant.parse("1970-01-01T00:00:59Z"));
		assertThat(ProviderJson.timestamp("2000-02-29T00:00:00Z")).isEqualTo(Instant.parse("2000-02-29T00:00:00Z"));
	}

	private static Instant expected(String text) {
		if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
			return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		if (text.matches(".*[+-]\\d{4}$")) {
			int cut = text.length() - 5;
			return LocalDateTime.parse(text.substring(0, cut))
				.toInstant(ZoneOffset.of(text.substring(cut, cut + 3) + ":" + text.substring(cut + 3)));
		}
		return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
	}

}
