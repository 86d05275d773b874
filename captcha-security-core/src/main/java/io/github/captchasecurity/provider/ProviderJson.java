package io.github.captchasecurity.provider;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading of provider answers: unknown fields are ignored, wrong types read as absent,
 * and timestamps are parsed with any ISO 8601 offset form and fraction precision. Strict
 * where a verdict depends on it: a document with a duplicated key (at any depth) is not
 * read at all, since two parsers could disagree on which value counts; the strict readers
 * {@link #score(JsonNode, String)}, {@link #timestamp(JsonNode, String)} and
 * {@link #requireNoErrors(boolean, List)} throw {@link UnusableAnswerException} for a
 * member that is present but cannot be believed, so that a verifier answers
 * {@code PROVIDER_UNAVAILABLE} instead of a pass.
 *
 * @since 0.1.0
 */
public final class ProviderJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().parseCaseInsensitive()
		.append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
		.optionalStart()
		.appendOffset("+HH:MM", "Z")
		.optionalEnd()
		.optionalStart()
		.appendOffset("+HHMM", "Z")
		.optionalEnd()
		.toFormatter();

	private ProviderJson() {
	}

	/**
	 * Parse a JSON object.
	 * @param body the bytes
	 * @return the object, or null if the bytes are not a JSON object or an object has a
	 * key twice
	 */
	public static @Nullable JsonNode parseObject(byte[] body) {
		try {
			JsonNode node = MAPPER.readTree(body);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Open a streaming parser on JSON bytes, with the same strict duplicate detection as
	 * {@link #parseObject(byte[])}.
	 * @param body the bytes
	 * @return the parser, to be closed by the caller
	 * @throws JacksonException if the parser cannot be created
	 */
	static JsonParser parser(byte[] body) {
		return MAPPER.createParser(body);
	}

	/**
	 * Serialize a value to JSON bytes.
	 * @param value the value (maps, lists, strings, numbers, booleans)
	 * @return the UTF-8 JSON
	 */
	public static byte[] write(Object value) {
		return MAPPER.writeValueAsBytes(value);
	}

	/**
	 * Read a string field.
	 * @param node the object
	 * @param field the field name
	 * @return the string, or null if absent or not a string
	 */
	public static @Nullable String string(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	/**
	 * Read a boolean field.
	 * @param node the object
	 * @param field the field name
	 * @return the boolean, or null if absent or not a boolean
	 */
	public static @Nullable Boolean bool(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isBoolean()) ? value.booleanValue() : null;
	}

	/**
	 * Read a number field.
	 * @param node the object
	 * @param field the field name
	 * @return the number, or null if absent or not a finite number
	 */
	public static @Nullable Double number(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isNumber()) {
			return null;
		}
		double number = value.doubleValue();
		return Double.isFinite(number) ? number : null;
	}

	/**
	 * Read an array of strings; non-string entries are skipped.
	 * @param node the object
	 * @param field the field name
	 * @return the strings, empty if absent
	 */
	public static List<String> strings(JsonNode node, String field) {
		JsonNode value = node.get(field);
		List<String> result = new ArrayList<>();
		if (value != null && value.isArray()) {
			for (JsonNode element : value) {
				if (element.isString()) {
					result.add(element.stringValue());
				}
			}
		}
		else if (value != null && value.isString()) {
			result.add(value.stringValue());
		}
		return List.copyOf(result);
	}

	/**
	 * Parse an ISO 8601 / RFC 3339 timestamp leniently: {@code Z}, {@code +01:00} or
	 * {@code +0100} offsets, any fraction precision; without an offset, UTC.
	 * @param value the text, or null
	 * @return the instant, or null if absent or unreadable
	 */
	public static @Nullable Instant timestamp(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Instant common = commonTimestamp(value);
		if (common != null) {
			return common;
		}
		try {
			return OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			// fall through to the lenient form
		}
		try {
			var parsed = TIMESTAMP.parseBest(value.trim(), OffsetDateTime::from, LocalDateTime::from);
			if (parsed instanceof OffsetDateTime offset) {
				return offset.toInstant();
			}
			return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * Read the form providers send,
	 * {@code 2024-05-01T10:15:30[.fraction](Z|+HH:MM|+HHMM)} with a four-digit year,
	 * without a formatter: digits straight into epoch seconds.
	 * @param value the text
	 * @return the instant, or null for anything else (including values out of range),
	 * which the formatters then judge
	 */
	private static @Nullable Instant commonTimestamp(String value) {
		int length = value.length();
		if (length < 19 || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
				|| value.charAt(13) != ':' || value.charAt(16) != ':') {
			return null;
		}
		int year = digits(value, 0, 4);
		int month = digits(value, 5, 2);
		int day = digits(value, 8, 2);
		int hour = digits(value, 11, 2);
		int minute = digits(value, 14, 2);
		int second = digits(value, 17, 2);
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
				|| minute < 0 || minute > 59 || second < 0 || second > 59) {
			return null;
		}
		int position = 19;
		int nanos = 0;
		if (position < length && value.charAt(position) == '.') {
			int start = ++position;
			while (position < length && value.charAt(position) >= '0' && value.charAt(position) <= '9') {
				position++;
			}
			int count = position - start;
			if (count < 1 || count > 9) {
				return null;
			}
			nanos = digits(value, start, count);
			for (int i = count; i < 9; i++) {
				nanos *= 10;
			}
		}
		int offsetSeconds;
		if (position == length) {
			offsetSeconds = 0;
		}
		else if (position == length - 1 && value.charAt(position) == 'Z') {
			offsetSeconds = 0;
		}
		else {
			char sign = value.charAt(position);
			int rest = length - position - 1;
			if ((sign != '+' && sign != '-') || (rest != 5 && rest != 4)
					|| (rest == 5 && value.charAt(position + 3) != ':')) {
				return null;
			}
			int offsetHours = digits(value, position + 1, 2);
			int offsetMinutes = digits(value, position + ((rest == 5) ? 4 : 3), 2);
			if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
					|| (offsetHours == 18 && offsetMinutes > 0)) {
				return null;
			}
			offsetSeconds = ((sign == '-') ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
		}
		long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
		return Instant.ofEpochSecond(epochSecond, nanos);
	}

	// The number in count ASCII digits at start, or -1.
	private static int digits(String value, int start, int count) {
		int number = 0;
		for (int i = start; i < start + count; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			number = number * 10 + (c - '0');
		}
		return number;
	}

	private static int daysIn(int year, int month) {
		return switch (month) {
			case 2 -> ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0) ? 29 : 28;
			case 4, 6, 9, 11 -> 30;
			default -> 31;
		};
	}

	// Days since 1970-01-01 of a proleptic Gregorian date (as LocalDate).
	private static long epochDay(int year, int month, int day) {
		long y = (month <= 2) ? year - 1 : year;
		long era = Math.floorDiv(y, 400);
		long yearOfEra = y - era * 400;
		long dayOfYear = (153L * (month + ((month > 2) ? -3 : 9)) + 2) / 5 + day - 1;
		long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
		return era * 146_097 + dayOfEra - 719_468;
	}

	/**
	 * Read a score strictly: absent or JSON {@code null} is no score; anything else must
	 * be a finite number between 0.0 and 1.0.
	 * @param node the object
	 * @param field the field name
	 * @return the score, or null if absent
	 * @throws UnusableAnswerException if the member is not a number, not finite, or
	 * outside 0.0..1.0
	 */
	public static @Nullable Double score(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isNumber()) {
			throw new UnusableAnswerException("'" + field + "' is not a number");
		}
		double number = value.doubleValue();
		if (!Double.isFinite(number) || number < 0.0 || number > 1.0) {
			throw new UnusableAnswerException("'" + field + "' is outside 0.0..1.0");
		}
		return number;
	}

	/**
	 * Read an ISO 8601 timestamp member strictly: absent, JSON {@code null} or a blank
	 * string is no timestamp; anything else must be a string {@link #timestamp(String)}
	 * can read.
	 * @param node the object
	 * @param field the field name
	 * @return the instant, or null if absent
	 * @throws UnusableAnswerException if the member is present but not a readable
	 * timestamp
	 */
	public static @Nullable Instant timestamp(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull() || (value.isString() && value.stringValue().isBlank())) {
			return null;
		}
		Instant instant = value.isString() ? timestamp(value.stringValue()) : null;
		if (instant == null) {
			throw new UnusableAnswerException("'" + field + "' is not a readable timestamp");
		}
		return instant;
	}

	/**
	 * Read a time in epoch seconds strictly: absent or JSON {@code null} is no time;
	 * anything else must be a finite, non-negative number.
	 * @param node the object
	 * @param field the field name
	 * @return the instant, or null if absent
	 * @throws UnusableAnswerException if the member is present but not a readable time
	 */
	public static @Nullable Instant epochSeconds(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		double seconds = value.isNumber() ? value.doubleValue() : Double.NaN;
		if (!Double.isFinite(seconds) || seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
			throw new UnusableAnswerException("'" + field + "' is not a readable time");
		}
		return Instant.ofEpochSecond((long) seconds);
	}

	/**
	 * Refuse an answer that both passes the token and reports errors (such as
	 * {@code success: true} with {@code invalid-input-secret}): it contradicts itself, so
	 * neither half can be believed.
	 * @param passed the provider's verdict
	 * @param errors the error codes it reported
	 * @throws UnusableAnswerException if the verdict is a pass and there are (non-blank)
	 * error codes
	 */
	public static void requireNoErrors(boolean passed, List<String> errors) {
		if (passed && errors.stream().anyMatch((error) -> !error.isBlank())) {
			throw new UnusableAnswerException("passes the token but reports errors");
		}
	}

}
