package io.github.captchasecurity.provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.http.HttpResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The answer of a {@code siteverify}-style API (reCAPTCHA, hCaptcha, Turnstile):
 * {@code success}, {@code error-codes}, {@code hostname}, {@code action}, {@code cdata},
 * {@code challenge_ts}, {@code score}. Read leniently (unknown members are ignored,
 * members of the wrong type read as absent) except where a pass depends on it: see
 * {@link #parse(HttpResult)}. Immutable.
 *
 * @param success the verdict
 * @param errorCodes the error codes, possibly empty
 * @param hostname the hostname (or Android package name), or null
 * @param action the action, or null
 * @param cdata the customer data (Turnstile), or null
 * @param challengeTimestamp the challenge time, or null
 * @param score the score as reported, or null
 * @since 0.1.0
 */
public record SiteverifyAnswer(boolean success, List<String> errorCodes, @Nullable String hostname,
		@Nullable String action, @Nullable String cdata, @Nullable Instant challengeTimestamp, @Nullable Double score) {

	/**
	 * Create an answer.
	 * @param success the verdict
	 * @param errorCodes the error codes
	 * @param hostname the hostname or null
	 * @param action the action or null
	 * @param cdata the customer data or null
	 * @param challengeTimestamp the challenge time or null
	 * @param score the score or null
	 */
	public SiteverifyAnswer {
		errorCodes = List.copyOf(errorCodes);
	}

	private static final Logger logger = LoggerFactory.getLogger(SiteverifyAnswer.class);

	/**
	 * Read an HTTP answer. An answer with {@code success: true} is read strictly, because
	 * it would let a request through: a {@code score} that is not a number between 0.0
	 * and 1.0, a {@code challenge_ts} that is present but unreadable, or any
	 * {@code error-codes} make it unusable. A duplicated key makes any answer unreadable.
	 * The body is read in one streaming pass (no tree), keeping only these members.
	 * @param result the HTTP answer
	 * @return the answer, or null if the status is not 2xx, the body is not a JSON object
	 * with a boolean {@code success}, or it is a pass that cannot be believed (see above)
	 */
	public static @Nullable SiteverifyAnswer parse(HttpResult result) {
		if (!result.isSuccessful()) {
			return null;
		}
		Members members = Members.read(result.body());
		if (members == null || members.success == null) {
			return null;
		}
		boolean success = members.success;
		String hostname = (members.hostname != null) ? members.hostname : members.packageName;
		List<String> errorCodes = List.copyOf(members.errorCodes);
		Instant timestamp;
		Double score;
		if (success) {
			try {
				ProviderJson.requireNoErrors(true, errorCodes);
				timestamp = members.strictTimestamp();
				score = members.strictScore();
			}
			catch (UnusableAnswerException ex) {
				logger.warn("CAPTCHA siteverify answer refused as unusable: {}", ex.getMessage());
				return null;
			}
		}
		else {
			timestamp = (members.timestampKind == JsonToken.VALUE_STRING) ? ProviderJson.timestamp(members.timestamp)
					: null;
			score = ((members.scoreKind == JsonToken.VALUE_NUMBER_FLOAT
					|| members.scoreKind == JsonToken.VALUE_NUMBER_INT) && Double.isFinite(members.score))
							? members.score : null;
		}
		return new SiteverifyAnswer(success, errorCodes, hostname, members.action, members.cdata, timestamp, score);
	}

	/**
	 * Build the form every {@code siteverify}-style API takes: {@code secret},
	 * {@code response} and, when the client IP is known, {@code remoteip}. Callers add
	 * their provider's extra fields.
	 * @param secret the secret key
	 * @param request the verification request
	 * @return a mutable, ordered form
	 */
	public static Map<String, String> form(String secret, VerificationRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("secret", secret);
		form.put("response", request.token());
		if (request.clientIp() != null) {
			form.put("remoteip", request.clientIp());
		}
		return form;
	}

	/**
	 * Whether any of the codes was reported.
	 * @param codes the codes
	 * @return {@code true} if the answer carries one of them
	 */
	public boolean hasAny(String... codes) {
		for (String code : codes) {
			if (this.errorCodes.contains(code)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The members of a siteverify answer read in one streaming pass, without a tree: only
	 * the members checked are kept, in the form the checks need; the rest is skipped
	 * (still parsed, so a duplicated key anywhere makes the whole answer unreadable, as
	 * does trailing content).
	 */
	private static final class Members {

		private @Nullable Boolean success;

		private @Nullable String hostname;

		private @Nullable String packageName;

		private @Nullable String action;

		private @Nullable String cdata;

		private final List<String> errorCodes = new ArrayList<>(2);

		private @Nullable JsonToken timestampKind;

		private @Nullable String timestamp;

		private @Nullable JsonToken scoreKind;

		private double score = Double.NaN;

		static @Nullable Members read(byte[] body) {
			try (JsonParser parser = ProviderJson.parser(body)) {
				if (parser.nextToken() != JsonToken.START_OBJECT) {
					return null;
				}
				Members members = new Members();
				String name;
				while ((name = parser.nextName()) != null) {
					JsonToken value = parser.nextToken();
					members.member(name, value, parser);
				}
				if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
					return null;
				}
				return members;
			}
			catch (JacksonException ex) {
				return null;
			}
		}

		private void member(String name, JsonToken value, JsonParser parser) {
			switch (name) {
				case "success" -> this.success = value.isBoolean() ? (value == JsonToken.VALUE_TRUE) : null;
				case "hostname" -> this.hostname = string(value, parser);
				case "apk_package_name" -> this.packageName = string(value, parser);
				case "action" -> this.action = string(value, parser);
				case "cdata" -> this.cdata = string(value, parser);
				case "error-codes" -> errorCodes(value, parser);
				case "challenge_ts" -> {
					this.timestampKind = value;
					this.timestamp = string(value, parser);
				}
				case "score" -> {
					this.scoreKind = value;
					this.score = value.isNumeric() ? parser.getDoubleValue() : Double.NaN;
				}
				default -> {
				}
			}
			// arrays and objects of members not read (or of the wrong type) are skipped
			parser.skipChildren();
		}

		private void errorCodes(JsonToken value, JsonParser parser) {
			if (value == JsonToken.VALUE_STRING) {
				this.errorCodes.add(parser.getString());
			}
			else if (value == JsonToken.START_ARRAY) {
				JsonToken element;
				while ((element = parser.nextToken()) != JsonToken.END_ARRAY && element != null) {
					if (element == JsonToken.VALUE_STRING) {
						this.errorCodes.add(parser.getString());
					}
					parser.skipChildren();
				}
			}
		}

		private static @Nullable String string(JsonToken value, JsonParser parser) {
			return (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
		}

		// As ProviderJson#timestamp(JsonNode, String).
		@Nullable Instant strictTimestamp() {
			if (this.timestampKind == null || this.timestampKind == JsonToken.VALUE_NULL
					|| (this.timestamp != null && this.timestamp.isBlank())) {
				return null;
			}
			Instant instant = (this.timestamp != null) ? ProviderJson.timestamp(this.timestamp) : null;
			if (instant == null) {
				throw new UnusableAnswerException("'challenge_ts' is not a readable timestamp");
			}
			return instant;
		}

		// As ProviderJson#score(JsonNode, String).
		@Nullable Double strictScore() {
			if (this.scoreKind == null || this.scoreKind == JsonToken.VALUE_NULL) {
				return null;
			}
			if (!this.scoreKind.isNumeric()) {
				throw new UnusableAnswerException("'score' is not a number");
			}
			if (!Double.isFinite(this.score) || this.score < 0.0 || this.score > 1.0) {
				throw new UnusableAnswerException("'score' is outside 0.0..1.0");
			}
			return this.score;
		}

	}

}
