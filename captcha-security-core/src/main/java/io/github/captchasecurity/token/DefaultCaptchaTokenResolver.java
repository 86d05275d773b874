package io.github.captchasecurity.token;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.VerificationOutcome;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the token in, and only in:
 * <ul>
 * <li>the header {@value #DEFAULT_HEADER} (configurable);</li>
 * <li>form fields of a {@code application/x-www-form-urlencoded} or
 * {@code multipart/form-data} body: {@code g-recaptcha-response},
 * {@code h-captcha-response}, {@code cf-turnstile-response}, {@code captcha-token} and
 * {@code altcha} (the official ALTCHA widget's field) by default. Query parameters are
 * never read, so tokens do not end up in access logs;</li>
 * <li>the top-level string members {@value #DEFAULT_JSON_FIELD} and {@code altcha}
 * (configurable) of a JSON body ({@code application/json} or {@code +json}). The body is
 * read into memory, up to {@link #setMaxBodyBytes(int) the limit} (64 KiB by default),
 * and the request passed on can read it again in full. A larger body is rejected with
 * {@link VerificationOutcome#BODY_TOO_LARGE}, never truncated.</li>
 * </ul>
 * Blank values are ignored. The same token in several places counts once; two different
 * tokens are {@link VerificationOutcome#MALFORMED}, as is a JSON member that is not a
 * string.
 *
 * @since 0.1.0
 */
public final class DefaultCaptchaTokenResolver implements CaptchaTokenResolver {

	/** Default header name. */
	public static final String DEFAULT_HEADER = "X-Captcha-Token";

	/** Default JSON member name. */
	public static final String DEFAULT_JSON_FIELD = "captchaToken";

	/**
	 * Default JSON member names: ours, and that of the official ALTCHA widget's payload.
	 */
	public static final List<String> DEFAULT_JSON_FIELDS = List.of(DEFAULT_JSON_FIELD, "altcha");

	/**
	 * Default form field names: those the providers' widgets post, ours, and the official
	 * ALTCHA widget's.
	 */
	public static final List<String> DEFAULT_FORM_FIELDS = List.of("g-recaptcha-response", "h-captcha-response",
			"cf-turnstile-response", "captcha-token", "altcha");

	/** Default maximum JSON body size read to find the token: 64 KiB. */
	public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private String headerName = DEFAULT_HEADER;

	private List<String> formFields = DEFAULT_FORM_FIELDS;

	private List<String> jsonFields = DEFAULT_JSON_FIELDS;

	private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

	/**
	 * Set the header to read. Defaults to {@value #DEFAULT_HEADER}.
	 * @param headerName the header name
	 */
	public void setHeaderName(String headerName) {
		Objects.requireNonNull(headerName, "headerName");
		if (headerName.isBlank()) {
			throw new IllegalArgumentException("headerName cannot be blank");
		}
		this.headerName = headerName;
	}

	/**
	 * Set the form fields to read. Defaults to {@link #DEFAULT_FORM_FIELDS}; empty: forms
	 * are not read.
	 * @param formFields the field names
	 */
	public void setFormFields(List<String> formFields) {
		this.formFields = List.copyOf(formFields);
	}

	/**
	 * Set the one top-level JSON member to read (instead of
	 * {@link #DEFAULT_JSON_FIELDS}); null: JSON bodies are not read.
	 * @param jsonField the member name, or null
	 */
	public void setJsonField(@Nullable String jsonField) {
		setJsonFields((jsonField != null) ? List.of(jsonField) : List.of());
	}

	/**
	 * Set the top-level JSON members to read. Defaults to {@link #DEFAULT_JSON_FIELDS};
	 * empty: JSON bodies are not read. Blank names are ignored.
	 * @param jsonFields the member names
	 */
	public void setJsonFields(List<String> jsonFields) {
		this.jsonFields = jsonFields.stream().filter((name) -> name != null && !name.isBlank()).toList();
	}

	/**
	 * Set the largest JSON body read to find the token. Defaults to 64 KiB.
	 * @param maxBodyBytes the limit in bytes, at least 1
	 */
	public void setMaxBodyBytes(int maxBodyBytes) {
		if (maxBodyBytes < 1) {
			throw new IllegalArgumentException("maxBodyBytes must be at least 1");
		}
		this.maxBodyBytes = maxBodyBytes;
	}

	@Override
	public ResolvedToken resolve(HttpServletRequest request) throws IOException {
		Map<String, Set<String>> tokens = new LinkedHashMap<>();
		for (String value : Collections.list(request.getHeaders(this.headerName))) {
			add(tokens, value, this.headerName);
		}
		HttpServletRequest passOn = request;
		String contentType = mediaType(request.getContentType());
		if (contentType != null) {
			if (isForm(contentType)) {
				addFormFields(request, tokens);
			}
			else if (!this.jsonFields.isEmpty() && isJson(contentType)) {
				byte[] body = readBody(request);
				passOn = new CachedBodyRequest(request, body);
				addJsonFields(body, this.jsonFields, tokens);
			}
		}
		if (tokens.size() > 1) {
			throw new CaptchaVerificationException(VerificationOutcome.MALFORMED);
		}
		if (tokens.isEmpty()) {
			return new ResolvedToken(passOn, null, Set.of());
		}
		Map.Entry<String, Set<String>> found = tokens.entrySet().iterator().next();
		return new ResolvedToken(passOn, found.getKey(), found.getValue());
	}

	private void addFormFields(HttpServletRequest request, Map<String, Set<String>> tokens) {
		for (String field : this.formFields) {
			String[] values;
			try {
				values = request.getParameterValues(field);
			}
			catch (RuntimeException ex) {
				// the container could not parse the body (no multipart support, bad
				// encoding): no form token
				return;
			}
			if (values == null) {
				continue;
			}
			// the servlet spec puts query-string values first: skip them, only the body
			// counts
			int fromQuery = countInQuery(request.getQueryString(), field);
			for (int i = fromQuery; i < values.length; i++) {
				add(tokens, values[i], field);
			}
		}
	}

	private byte[] readBody(HttpServletRequest request) throws IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBodyBytes) {
			throw new CaptchaVerificationException(VerificationOutcome.BODY_TOO_LARGE);
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes((int) Math.min(Integer.MAX_VALUE, this.maxBodyBytes + 1L));
		}
		if (body.length > this.maxBodyBytes) {
			throw new CaptchaVerificationException(VerificationOutcome.BODY_TOO_LARGE);
		}
		return body;
	}

	private static void addJsonFields(byte[] body, List<String> fields, Map<String, Set<String>> tokens) {
		// only a body that parses completely counts: a member seen before a syntax error
		// is not a token
		Map<String, Set<String>> found = new LinkedHashMap<>();
		boolean notAString = false;
		try (JsonParser parser = JSON.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return;
			}
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (fields.contains(name)) {
					if (value == JsonToken.VALUE_STRING) {
						add(found, parser.getString(), name);
					}
					else if (value != JsonToken.VALUE_NULL) {
						notAString = true;
					}
				}
				parser.skipChildren();
			}
			if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
				return;
			}
		}
		catch (JacksonException ex) {
			// not JSON after all: no token here; the application answers the bad body
			// itself
			return;
		}
		if (notAString) {
			throw new CaptchaVerificationException(VerificationOutcome.MALFORMED);
		}
		found.forEach((token, names) -> tokens.computeIfAbsent(token, (key) -> new LinkedHashSet<>()).addAll(names));
	}

	private static void add(Map<String, Set<String>> tokens, @Nullable String value, String field) {
		if (value != null && !value.isBlank()) {
			tokens.computeIfAbsent(value, (key) -> new LinkedHashSet<>()).add(field);
		}
	}

	static int countInQuery(@Nullable String query, String field) {
		if (query == null || query.isEmpty()) {
			return 0;
		}
		int count = 0;
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = (equals >= 0) ? pair.substring(0, equals) : pair;
			try {
				if (field.equals(URLDecoder.decode(name, StandardCharsets.UTF_8))) {
					count++;
				}
			}
			catch (IllegalArgumentException ex) {
				// the container skips names it cannot decode, and so do we
			}
		}
		return count;
	}

	private static @Nullable String mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		int semicolon = contentType.indexOf(';');
		return ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
	}

	private static boolean isForm(String mediaType) {
		return mediaType.equals("application/x-www-form-urlencoded") || mediaType.equals("multipart/form-data");
	}

	private static boolean isJson(String mediaType) {
		return mediaType.equals("application/json")
				|| (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
	}

}
