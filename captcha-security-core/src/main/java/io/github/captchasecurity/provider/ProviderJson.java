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
